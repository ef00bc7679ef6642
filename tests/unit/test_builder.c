/* test_builder.c - the AST-to-graph builder, from source strings: the
 * text dump of each graph is compared exactly (the golden format), and
 * unsupported or wrong programs must give their errors (several per run)
 * without crashing or breaking checkgraph. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowgraph/graph.h"

static struct fg_program *build(const char *src)
{
    struct ast_node *m = ast_parse_string("t.py", src, strlen(src));
    ck_assert_ptr_nonnull(m);
    return fg_build_program(m, "t.py");
}

static const char *dump_of(const char *src, const char *qualname)
{
    struct fg_program *p = build(src);
    for (int i = 0; i < p->allfuncs.n; i++) {
        struct fg_func *f = p->allfuncs.v[i];
        if (strcmp(f->qualname, qualname) != 0 || f->module->is_prelude)
            continue;
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        fg_dump_text(out, f->graph);
        fclose(out);
        const char *copy = sp_strdup(buf);
        free(buf);
        return copy;
    }
    ck_abort_msg("no function %s", qualname);
    return NULL;
}

/* Build src with stderr captured; returns what was printed and the number
 * of errors reported. */
static const char *errors_of(const char *src, int *nerrors)
{
    FILE *tmp = tmpfile();
    int saved = dup(2);
    fflush(stderr);
    dup2(fileno(tmp), 2);
    int before = sp_error_count();
    struct ast_node *m = ast_parse_string("t.py", src, strlen(src));
    if (m) {
        struct fg_program *p = fg_build_program(m, "t.py");
        for (int i = 0; i < p->allfuncs.n; i++)
            fg_checkgraph(((struct fg_func *)p->allfuncs.v[i])->graph, "test");
    }
    *nerrors = sp_error_count() - before;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(tmp);
    char *text = sp_alloc((size_t)n + 1);
    rewind(tmp);
    if (fread(text, 1, (size_t)n, tmp) != (size_t)n)
        ck_abort_msg("cannot read the captured errors");
    fclose(tmp);
    return text;
}

#define ck_assert_has(haystack, needle) \
    ck_assert_msg(strstr((haystack), (needle)) != NULL, "'%s' not in:\n%s", (needle), (haystack))

/* ---- golden dumps ---- */

START_TEST(test_fib)
{
    const char *src =
        "def fib(n):\n"
        "    if n < 2:\n"
        "        return n\n"
        "    return fib(n - 1) + fib(n - 2)\n";
    ck_assert_str_eq(dump_of(src, "fib"),
        "graph fib(n_0)\n"
        "block0(n_0):\n"
        "    v0 = lt(n_0, 2)                     # t.py:2\n"
        "    switch v0: False -> block1(n_0), True -> return(n_0)\n"
        "block1(n_1):\n"
        "    v1 = getglobal(<module __main__>, 'fib') # t.py:4\n"
        "    v2 = sub(n_1, 1)                    # t.py:4\n"
        "    v3 = simple_call(v1, v2)            # t.py:4\n"
        "    v4 = getglobal(<module __main__>, 'fib') # t.py:4\n"
        "    v5 = sub(n_1, 2)                    # t.py:4\n"
        "    v6 = simple_call(v4, v5)            # t.py:4\n"
        "    v7 = add(v3, v6)                    # t.py:4\n"
        "    goto return(v7)\n");
}
END_TEST

START_TEST(test_while_break_else)
{
    const char *src =
        "def find(xs, target):\n"
        "    i = 0\n"
        "    while i < len(xs):\n"
        "        if xs[i] == target:\n"
        "            break\n"
        "        i += 1\n"
        "    else:\n"
        "        return -1\n"
        "    return i\n";
    ck_assert_str_eq(dump_of(src, "find"),
        "graph find(xs_0, target_0)\n"
        "block0(xs_0, target_0):\n"
        "    goto block1(xs_0, target_0, 0)\n"
        "block1(xs_1, target_1, i_0):\n"
        "    v0 = getglobal(<module __main__>, 'len') # t.py:3\n"
        "    v1 = simple_call(v0, xs_1)          # t.py:3\n"
        "    v2 = lt(i_0, v1)                    # t.py:3\n"
        "    switch v2: False -> return(-1), True -> block2(xs_1, target_1, i_0)\n"
        "block2(xs_2, target_2, i_1):\n"
        "    v3 = getitem(xs_2, i_1)             # t.py:4\n"
        "    v4 = eq(v3, target_2)               # t.py:4\n"
        "    switch v4: False -> block3(xs_2, target_2, i_1), True -> return(i_1)\n"
        "block3(xs_3, target_3, i_2):\n"
        "    i_3 = inplace_add(i_2, 1)           # t.py:6\n"
        "    goto block1(xs_3, target_3, i_3)\n");
}
END_TEST

START_TEST(test_for_tuple_target_continue)
{
    const char *src =
        "def total(xs):\n"
        "    s = 0\n"
        "    for k, v in xs:\n"
        "        if k:\n"
        "            continue\n"
        "        s += v\n"
        "    return s\n";
    ck_assert_str_eq(dump_of(src, "total"),
        "graph total(xs_0)\n"
        "block0(xs_0):\n"
        "    v0 = iter(xs_0)                     # t.py:3\n"
        "    goto block1(0, v0)\n"
        "block1(s_0, v1):\n"
        "    v2 = next(v1)                       # t.py:3\n"
        "    exits: normal -> block2(s_0, v1, v2), StopIteration -> return(s_0)\n"
        "block2(s_1, v3, v4):\n"
        "    v5 = unpack(v4, 2)                  # t.py:3\n"
        "    k_0 = getitem(v5, 0)                # t.py:3\n"
        "    v_0 = getitem(v5, 1)                # t.py:3\n"
        "    v6 = bool(k_0)                      # t.py:4\n"
        "    switch v6: False -> block3(s_1, v_0, v3), True -> block1(s_1, v3)\n"
        "block3(s_2, v_1, v7):\n"
        "    s_3 = inplace_add(s_2, v_1)         # t.py:6\n"
        "    goto block1(s_3, v7)\n");
}
END_TEST

START_TEST(test_for_else)
{
    const char *src =
        "def primes(limit):\n"
        "    out = []\n"
        "    for n in range(2, limit):\n"
        "        for d in range(2, n):\n"
        "            if n % d == 0:\n"
        "                break\n"
        "        else:\n"
        "            out.append(n)\n"
        "    return out\n";
    ck_assert_str_eq(dump_of(src, "primes"),
        "graph primes(limit_0)\n"
        "block0(limit_0):\n"
        "    out_0 = newlist()                   # t.py:2\n"
        "    v0 = getglobal(<module __main__>, 'range') # t.py:3\n"
        "    v1 = simple_call(v0, 2, limit_0)    # t.py:3\n"
        "    v2 = iter(v1)                       # t.py:3\n"
        "    goto block1(out_0, v2)\n"
        "block1(out_1, v3):\n"
        "    n_0 = next(v3)                      # t.py:3\n"
        "    exits: normal -> block2(out_1, v3, n_0), StopIteration -> return(out_1)\n"
        "block2(out_2, v4, n_1):\n"
        "    v5 = getglobal(<module __main__>, 'range') # t.py:4\n"
        "    v6 = simple_call(v5, 2, n_1)        # t.py:4\n"
        "    v7 = iter(v6)                       # t.py:4\n"
        "    goto block3(out_2, n_1, v4, v7)\n"
        "block3(out_3, n_2, v8, v9):\n"
        "    d_0 = next(v9)                      # t.py:4\n"
        "    exits: normal -> block4(out_3, n_2, v8, v9, d_0), StopIteration -> block5(out_3, n_2, v8)\n"
        "block4(out_4, n_3, v10, v11, d_1):\n"
        "    v12 = mod(n_3, d_1)                 # t.py:5\n"
        "    v13 = eq(v12, 0)                    # t.py:5\n"
        "    switch v13: False -> block3(out_4, n_3, v10, v11), True -> block1(out_4, v10)\n"
        "block5(out_5, n_4, v14):\n"
        "    v15 = call_method(out_5, 'append', n_4) # t.py:8\n"
        "    goto block1(out_5, v14)\n");
}
END_TEST

START_TEST(test_and_or_values)
{
    const char *src =
        "def pick(a, b):\n"
        "    return a or b and a\n";
    ck_assert_str_eq(dump_of(src, "pick"),
        "graph pick(a_0, b_0)\n"
        "block0(a_0, b_0):\n"
        "    v0 = bool(a_0)                      # t.py:2\n"
        "    switch v0: False -> block1(a_0, b_0), True -> return(a_0)\n"
        "block1(a_1, b_1):\n"
        "    v1 = bool(b_1)                      # t.py:2\n"
        "    switch v1: False -> return(b_1), True -> return(a_1)\n");
}
END_TEST

START_TEST(test_and_or_condition)
{
    const char *src =
        "def both(a, b):\n"
        "    if a and not b:\n"
        "        return 1\n"
        "    return 2\n";
    ck_assert_str_eq(dump_of(src, "both"),
        "graph both(a_0, b_0)\n"
        "block0(a_0, b_0):\n"
        "    v0 = bool(a_0)                      # t.py:2\n"
        "    switch v0: False -> return(2), True -> block1(b_0)\n"
        "block1(b_1):\n"
        "    v1 = bool(b_1)                      # t.py:2\n"
        "    switch v1: False -> return(1), True -> return(2)\n");
}
END_TEST

START_TEST(test_chained_comparison)
{
    const char *src =
        "def between(lo, x, hi):\n"
        "    if lo <= x < hi:\n"
        "        return 1\n"
        "    return 0\n";
    ck_assert_str_eq(dump_of(src, "between"),
        "graph between(lo_0, x_0, hi_0)\n"
        "block0(lo_0, x_0, hi_0):\n"
        "    v0 = le(lo_0, x_0)                  # t.py:2\n"
        "    switch v0: False -> return(0), True -> block1(hi_0, x_0)\n"
        "block1(hi_1, v1):\n"
        "    v2 = lt(v1, hi_1)                   # t.py:2\n"
        "    switch v2: False -> return(0), True -> return(1)\n");
}
END_TEST

START_TEST(test_chained_comparison_value)
{
    const char *src =
        "def ordered(a, b, c):\n"
        "    return a < b < c\n";
    ck_assert_str_eq(dump_of(src, "ordered"),
        "graph ordered(a_0, b_0, c_0)\n"
        "block0(a_0, b_0, c_0):\n"
        "    v0 = lt(a_0, b_0)                   # t.py:2\n"
        "    switch v0: False -> return(v0), True -> block1(c_0, b_0)\n"
        "block1(c_1, v1):\n"
        "    v2 = lt(v1, c_1)                    # t.py:2\n"
        "    goto return(v2)\n");
}
END_TEST

START_TEST(test_list_comprehension)
{
    const char *src =
        "def squares(n):\n"
        "    x = 7\n"
        "    return [x * x for x in range(n) if x != 3]\n";
    ck_assert_str_eq(dump_of(src, "squares"),
        "graph squares(n_0)\n"
        "block0(n_0):\n"
        "    v0 = getglobal(<module __main__>, 'range') # t.py:3\n"
        "    v1 = simple_call(v0, n_0)           # t.py:3\n"
        "    v2 = iter(v1)                       # t.py:3\n"
        "    v3 = newlist()                      # t.py:3\n"
        "    goto block1(v3, v2)\n"
        "block1(v4, v5):\n"
        "    x_0 = next(v5)                      # t.py:3\n"
        "    exits: normal -> block2(v4, v5, x_0), StopIteration -> return(v4)\n"
        "block2(v6, v7, x_1):\n"
        "    v8 = ne(x_1, 3)                     # t.py:3\n"
        "    switch v8: False -> block1(v6, v7), True -> block3(v6, x_1, v7)\n"
        "block3(v9, x_2, v10):\n"
        "    v11 = mul(x_2, x_2)                 # t.py:3\n"
        "    v12 = call_method(v9, 'append', v11) # t.py:3\n"
        "    goto block1(v9, v10)\n");
}
END_TEST

START_TEST(test_tuple_unpacking)
{
    const char *src =
        "def rot(a, b, c):\n"
        "    a, (b, c) = b, (c, a)\n"
        "    return a\n";
    ck_assert_str_eq(dump_of(src, "rot"),
        "graph rot(a_0, b_0, c_0)\n"
        "block0(a_0, b_0, c_0):\n"
        "    v0 = newtuple(c_0, a_0)             # t.py:2\n"
        "    v1 = newtuple(b_0, v0)              # t.py:2\n"
        "    v2 = unpack(v1, 2)                  # t.py:2\n"
        "    a_1 = getitem(v2, 0)                # t.py:2\n"
        "    v3 = getitem(v2, 1)                 # t.py:2\n"
        "    v4 = unpack(v3, 2)                  # t.py:2\n"
        "    b_1 = getitem(v4, 0)                # t.py:2\n"
        "    c_1 = getitem(v4, 1)                # t.py:2\n"
        "    goto return(a_1)\n");
}
END_TEST

START_TEST(test_method)
{
    const char *src =
        "class Counter:\n"
        "    START = 0\n"
        "\n"
        "    def __init__(self):\n"
        "        self.n = Counter.START\n"
        "\n"
        "    def add(self, k=1):\n"
        "        self.n += k\n"
        "        return self\n";
    ck_assert_str_eq(dump_of(src, "Counter.add"),
        "graph Counter.add(self_0, k_0)\n"
        "block0(self_0, k_0):\n"
        "    v0 = getattr(self_0, 'n')           # t.py:8\n"
        "    v1 = inplace_add(v0, k_0)           # t.py:8\n"
        "    v2 = setattr(self_0, 'n', v1)       # t.py:8\n"
        "    goto return(self_0)\n");
}
END_TEST

START_TEST(test_global_function)
{
    const char *src =
        "count = 0\n"
        "\n"
        "\n"
        "def bump(by):\n"
        "    global count\n"
        "    count = count + by\n"
        "    return count\n"
        "\n"
        "\n"
        "print(bump(2), len([1]))\n";
    ck_assert_str_eq(dump_of(src, "bump"),
        "graph bump(by_0)\n"
        "block0(by_0):\n"
        "    v0 = getglobal(<module __main__>, 'count') # t.py:6\n"
        "    v1 = add(v0, by_0)                  # t.py:6\n"
        "    v2 = setglobal(<module __main__>, 'count', v1) # t.py:6\n"
        "    v3 = getglobal(<module __main__>, 'count') # t.py:7\n"
        "    goto return(v3)\n");
}
END_TEST

START_TEST(test_module_code)
{
    const char *src =
        "count = 0\n"
        "\n"
        "\n"
        "def bump(by):\n"
        "    global count\n"
        "    count = count + by\n"
        "    return count\n"
        "\n"
        "\n"
        "print(bump(2), len([1]))\n";
    ck_assert_str_eq(dump_of(src, "<module>"),
        "graph <module>()\n"
        "block0():\n"
        "    v0 = setglobal(<module __main__>, 'count', 0) # t.py:1\n"
        "    v1 = setglobal(<module __main__>, 'bump', bump) # t.py:4\n"
        "    v2 = getglobal(<module __main__>, 'print') # t.py:10\n"
        "    v3 = getglobal(<module __main__>, 'bump') # t.py:10\n"
        "    v4 = simple_call(v3, 2)             # t.py:10\n"
        "    v5 = getglobal(<module __main__>, 'len') # t.py:10\n"
        "    v6 = newlist(1)                     # t.py:10\n"
        "    v7 = simple_call(v5, v6)            # t.py:10\n"
        "    v8 = simple_call(v2, v4, v7)        # t.py:10\n"
        "    goto return(None)\n");
}
END_TEST

START_TEST(test_fstring)
{
    const char *src =
        "def show(x, w):\n"
        "    return f\"x={x!r:>{w}} done\"\n";
    ck_assert_str_eq(dump_of(src, "show"),
        "graph show(x_0, w_0)\n"
        "block0(x_0, w_0):\n"
        "    v0 = format(w_0, '', '')            # t.py:2\n"
        "    v1 = buildstr('>', v0)              # t.py:2\n"
        "    v2 = format(x_0, 'r', v1)           # t.py:2\n"
        "    v3 = buildstr('x=', v2, ' done')    # t.py:2\n"
        "    goto return(v3)\n");
}
END_TEST

START_TEST(test_calls)
{
    const char *src =
        "def f(xs, *rest):\n"
        "    print(*rest, sep=\"\")\n"
        "    xs.sort(key=len, reverse=True)\n"
        "    return sum(x for x in xs)\n";
    ck_assert_str_eq(dump_of(src, "f"),
        "graph f(xs_0, rest_0)\n"
        "block0(xs_0, rest_0):\n"
        "    v0 = getglobal(<module __main__>, 'print') # t.py:2\n"
        "    v1 = call_args(v0, shape(npos=0, kw=[sep], star=True), '', rest_0) # t.py:2\n"
        "    v2 = getglobal(<module __main__>, 'len') # t.py:3\n"
        "    v3 = call_method_args(xs_0, 'sort', shape(npos=0, kw=[key, reverse], star=False), v2, True) # t.py:3\n"
        "    v4 = getglobal(<module __main__>, 'sum') # t.py:4\n"
        "    v5 = iter(xs_0)                     # t.py:4\n"
        "    v6 = newlist()                      # t.py:4\n"
        "    goto block1(v4, v6, v5)\n"
        "block1(v7, v8, v9):\n"
        "    x_0 = next(v9)                      # t.py:4\n"
        "    exits: normal -> block2(v7, v8, v9, x_0), StopIteration -> block3(v7, v8)\n"
        "block2(v10, v11, v12, x_1):\n"
        "    v13 = call_method(v11, 'append', x_1) # t.py:4\n"
        "    goto block1(v10, v11, v12)\n"
        "block3(v14, v15):\n"
        "    v16 = simple_call(v14, v15)         # t.py:4\n"
        "    goto return(v16)\n");
}
END_TEST

START_TEST(test_assert_raise)
{
    const char *src =
        "def check(x):\n"
        "    assert x > 0, \"bad\"\n"
        "    if not x:\n"
        "        raise ValueError\n"
        "    raise KeyError(x)\n";
    ck_assert_str_eq(dump_of(src, "check"),
        "graph check(x_0)\n"
        "block0(x_0):\n"
        "    v0 = gt(x_0, 0)                     # t.py:2\n"
        "    switch v0: False -> block1(), True -> block2(x_0)\n"
        "block1():\n"
        "    v1 = simple_call(AssertionError, 'bad') # t.py:2\n"
        "    v2 = exc_type(v1)                   # t.py:2\n"
        "    goto except(v2, v1)\n"
        "block2(x_1):\n"
        "    v3 = bool(x_1)                      # t.py:3\n"
        "    switch v3: False -> block3(), True -> block4(x_1)\n"
        "block3():\n"
        "    v4 = getglobal(<module __main__>, 'ValueError') # t.py:4\n"
        "    v5 = simple_call(v4)                # t.py:4\n"
        "    v6 = exc_type(v5)                   # t.py:4\n"
        "    goto except(v6, v5)\n"
        "block4(x_2):\n"
        "    v7 = getglobal(<module __main__>, 'KeyError') # t.py:5\n"
        "    v8 = simple_call(v7, x_2)           # t.py:5\n"
        "    v9 = exc_type(v8)                   # t.py:5\n"
        "    goto except(v9, v8)\n");
}
END_TEST

START_TEST(test_subscripts)
{
    const char *src =
        "def sl(a, d):\n"
        "    a[1:] = a[:2]\n"
        "    a[0] += 1\n"
        "    d.k -= 1\n"
        "    del a[::2], d[0], d.k\n"
        "    return a[1:2:3], a[1, 2]\n";
    ck_assert_str_eq(dump_of(src, "sl"),
        "graph sl(a_0, d_0)\n"
        "block0(a_0, d_0):\n"
        "    v0 = getslice(a_0, None, 2, None)   # t.py:2\n"
        "    v1 = setslice(a_0, 1, None, None, v0) # t.py:2\n"
        "    v2 = getitem(a_0, 0)                # t.py:3\n"
        "    v3 = inplace_add(v2, 1)             # t.py:3\n"
        "    v4 = setitem(a_0, 0, v3)            # t.py:3\n"
        "    v5 = getattr(d_0, 'k')              # t.py:4\n"
        "    v6 = inplace_sub(v5, 1)             # t.py:4\n"
        "    v7 = setattr(d_0, 'k', v6)          # t.py:4\n"
        "    v8 = delslice(a_0, None, None, 2)   # t.py:5\n"
        "    v9 = delitem(d_0, 0)                # t.py:5\n"
        "    v10 = delattr(d_0, 'k')             # t.py:5\n"
        "    v11 = getslice(a_0, 1, 2, 3)        # t.py:6\n"
        "    v12 = newtuple(1, 2)                # t.py:6\n"
        "    v13 = getitem(a_0, v12)             # t.py:6\n"
        "    v14 = newtuple(v11, v13)            # t.py:6\n"
        "    goto return(v14)\n");
}
END_TEST

START_TEST(test_ifexp_and_unbound)
{
    const char *src =
        "def g(c):\n"
        "    if c:\n"
        "        y = 1\n"
        "    z = 2 if c else 3\n"
        "    return y + z\n";
    ck_assert_str_eq(dump_of(src, "g"),
        "graph g(c_0)\n"
        "block0(c_0):\n"
        "    v0 = bool(c_0)                      # t.py:2\n"
        "    switch v0: False -> block1(c_0, <undefined>, False), True -> block1(c_0, 1, True)\n"
        "block1(c_1, y_0, bound_0):\n"
        "    v1 = bool(c_1)                      # t.py:4\n"
        "    switch v1: False -> block2(y_0, 3, bound_0), True -> block2(y_0, 2, bound_0)\n"
        "block2(y_1, z_0, bound_1):\n"
        "    v2 = check_bound(bound_1, 'y')      # t.py:5\n"
        "    v3 = add(y_1, z_0)                  # t.py:5\n"
        "    goto return(v3)\n");
}
END_TEST

START_TEST(test_module_comprehension)
{
    const char *src =
        "xs = [i for i in range(3)]\n"
        "for i in xs:\n"
        "    print(i)\n";
    ck_assert_str_eq(dump_of(src, "<module>"),
        "graph <module>()\n"
        "block0():\n"
        "    v0 = getglobal(<module __main__>, 'range') # t.py:1\n"
        "    v1 = simple_call(v0, 3)             # t.py:1\n"
        "    v2 = iter(v1)                       # t.py:1\n"
        "    v3 = newlist()                      # t.py:1\n"
        "    goto block1(v3, v2)\n"
        "block1(v4, v5):\n"
        "    i_0 = next(v5)                      # t.py:1\n"
        "    exits: normal -> block2(v4, v5, i_0), StopIteration -> block3(v4)\n"
        "block2(v6, v7, i_1):\n"
        "    v8 = call_method(v6, 'append', i_1) # t.py:1\n"
        "    goto block1(v6, v7)\n"
        "block3(v9):\n"
        "    v10 = setglobal(<module __main__>, 'xs', v9) # t.py:1\n"
        "    v11 = getglobal(<module __main__>, 'xs') # t.py:2\n"
        "    v12 = iter(v11)                     # t.py:2\n"
        "    goto block4(v12)\n"
        "block4(v13):\n"
        "    i_2 = next(v13)                     # t.py:2\n"
        "    exits: normal -> block5(v13, i_2), StopIteration -> return(None)\n"
        "block5(v14, i_3):\n"
        "    v15 = setglobal(<module __main__>, 'i', i_3) # t.py:2\n"
        "    v16 = getglobal(<module __main__>, 'print') # t.py:3\n"
        "    v17 = getglobal(<module __main__>, 'i') # t.py:3\n"
        "    v18 = simple_call(v16, v17)         # t.py:3\n"
        "    goto block4(v14)\n");
}
END_TEST

START_TEST(test_try_except_else)
{
    const char *src =
        "def f(d, k):\n"
        "    try:\n"
        "        v = d[k]\n"
        "    except KeyError as e:\n"
        "        print(e)\n"
        "        return -1\n"
        "    except (ValueError, TypeError):\n"
        "        raise\n"
        "    else:\n"
        "        v = v + 1\n"
        "    return v\n";
    ck_assert_str_eq(dump_of(src, "f"),
        "graph f(d_0, k_0)\n"
        "block0(d_0, k_0):\n"
        "    v0 = getitem(d_0, k_0)              # t.py:3\n"
        "    exits: normal -> block1(v0), KeyError -> block2(evalue_0) [last_exception etype_0, last_exc_value evalue_0], ValueError -> except(etype_1, evalue_1) [last_exception etype_1, last_exc_value evalue_1], TypeError -> except(etype_2, evalue_2) [last_exception etype_2, last_exc_value evalue_2]\n"
        "block1(v_0):\n"
        "    v_1 = add(v_0, 1)                   # t.py:10\n"
        "    goto return(v_1)\n"
        "block2(evalue_3):\n"
        "    v1 = getglobal(<module __main__>, 'print') # t.py:5\n"
        "    v2 = simple_call(v1, evalue_3)      # t.py:5\n"
        "    goto return(-1)\n");
}
END_TEST

START_TEST(test_try_finally_jumps)
{
    const char *src =
        "def g(xs):\n"
        "    for x in xs:\n"
        "        try:\n"
        "            if x:\n"
        "                break\n"
        "            return x\n"
        "        finally:\n"
        "            print(x)\n"
        "    return 0\n";
    ck_assert_str_eq(dump_of(src, "g"),
        "graph g(xs_0)\n"
        "block0(xs_0):\n"
        "    v0 = iter(xs_0)                     # t.py:2\n"
        "    x_0 = next(v0)                      # t.py:2\n"
        "    exits: normal -> block1(x_0), StopIteration -> return(0)\n"
        "block1(x_1):\n"
        "    v1 = bool(x_1)                      # t.py:4\n"
        "    exits: normal -> block2(x_1, v1), BaseException -> block5(x_1, etype_1, evalue_1) [last_exception etype_1, last_exc_value evalue_1]\n"
        "block2(x_2, v2):\n"
        "    switch v2: False -> block3(x_2), True -> block4(x_2)\n"
        "block3(x_3):\n"
        "    v3 = getglobal(<module __main__>, 'print') # t.py:8\n"
        "    v4 = simple_call(v3, x_3)           # t.py:8\n"
        "    goto return(x_3)\n"
        "block4(x_4):\n"
        "    v5 = getglobal(<module __main__>, 'print') # t.py:8\n"
        "    v6 = simple_call(v5, x_4)           # t.py:8\n"
        "    goto return(0)\n"
        "block5(x_5, etype_2, evalue_2):\n"
        "    v7 = getglobal(<module __main__>, 'print') # t.py:8\n"
        "    v8 = simple_call(v7, x_5)           # t.py:8\n"
        "    goto except(etype_2, evalue_2)\n");
}
END_TEST

START_TEST(test_raise_in_try)
{
    const char *src =
        "class E(Exception):\n"
        "    pass\n"
        "\n"
        "\n"
        "def h(a):\n"
        "    try:\n"
        "        if a:\n"
        "            raise E(a)\n"
        "    except E:\n"
        "        return 1\n"
        "    except:\n"
        "        return 2\n"
        "    return 3\n";
    ck_assert_str_eq(dump_of(src, "h"),
        "graph h(a_0)\n"
        "block0(a_0):\n"
        "    v0 = bool(a_0)                      # t.py:7\n"
        "    exits: normal -> block1(a_0, v0), E -> return(1), BaseException -> return(2)\n"
        "block1(a_1, v1):\n"
        "    switch v1: False -> return(3), True -> block2(a_1)\n"
        "block2(a_2):\n"
        "    v2 = getglobal(<module __main__>, 'E') # t.py:8\n"
        "    exits: normal -> block3(a_2, v2), E -> return(1), BaseException -> return(2)\n"
        "block3(a_3, v3):\n"
        "    v4 = simple_call(v3, a_3)           # t.py:8\n"
        "    exits: normal -> block4(v4), E -> return(1), BaseException -> return(2)\n"
        "block4(v5):\n"
        "    v6 = exc_type(v5)                   # t.py:8\n"
        "    v7 = simple_call(isinstance, v5, E) # t.py:8\n"
        "    switch v7: False -> return(2), True -> return(1)\n");
}
END_TEST

START_TEST(test_for_in_try)
{
    const char *src =
        "def s(xs):\n"
        "    try:\n"
        "        for x in xs:\n"
        "            pass\n"
        "    except ValueError:\n"
        "        return 1\n"
        "    return 0\n";
    ck_assert_str_eq(dump_of(src, "s"),
        "graph s(xs_0)\n"
        "block0(xs_0):\n"
        "    v0 = iter(xs_0)                     # t.py:3\n"
        "    exits: normal -> block1(v0), ValueError -> return(1)\n"
        "block1(v1):\n"
        "    x_0 = next(v1)                      # t.py:3\n"
        "    exits: normal -> block1(v1), StopIteration -> return(0), ValueError -> return(1)\n");
}
END_TEST

START_TEST(test_with_statement)
{
    const char *src =
        "class R:\n"
        "    def __enter__(self):\n"
        "        return self\n"
        "\n"
        "    def __exit__(self, a, b, c):\n"
        "        return False\n"
        "\n"
        "\n"
        "def w(r):\n"
        "    with r as x:\n"
        "        return x\n";
    ck_assert_str_eq(dump_of(src, "w"),
        "graph w(r_0)\n"
        "block0(r_0):\n"
        "    x_0 = call_method(r_0, '__enter__') # t.py:10\n"
        "    v0 = call_method(r_0, '__exit__', None, None, None) # t.py:10\n"
        "    goto return(x_0)\n");
}
END_TEST

/* ---- program structure ---- */

START_TEST(test_program_structure)
{
    struct fg_program *p = build("X = 1\n"
                                 "class A:\n"
                                 "    K = -2\n"
                                 "    T = (1, 'a', None)\n"
                                 "    \"\"\"doc\"\"\"\n"
                                 "    def m(self, y=2.5):\n"
                                 "        return y\n"
                                 "    @staticmethod\n"
                                 "    def s(*args):\n"
                                 "        return args\n"
                                 "    @classmethod\n"
                                 "    def c(cls):\n"
                                 "        pass\n"
                                 "def f(a, b=(1, -3)):\n"
                                 "    global Y\n"
                                 "    Y = a\n"
                                 "if X:\n"
                                 "    Z = 3\n");
    struct fg_module *m = p->main;
    ck_assert_str_eq(m->name, "__main__");
    /* the prelude first, then the program's module and its functions */
    ck_assert_int_eq(p->modules.n, 2);
    ck_assert_ptr_eq(p->modules.v[0], p->prelude);
    ck_assert(p->prelude->is_prelude && !m->is_prelude);
    int own = 0, first = -1;
    for (int i = 0; i < p->allfuncs.n; i++)
        if (((struct fg_func *)p->allfuncs.v[i])->module == m) {
            own++;
            if (first < 0)
                first = i;
        }
    ck_assert_int_eq(own, 5);
    ck_assert_ptr_eq(p->allfuncs.v[first], m->init);
    ck_assert_str_eq(m->init->graph->name, "<module>");
    const char *globals[] = {"X", "A", "f", "Y", "Z"};
    ck_assert_int_eq(m->globals.n, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(m->globals.v[i], globals[i]);
    ck_assert_int_eq(m->classes.n, 1);
    struct fg_class *a = m->classes.v[0];
    ck_assert_int_eq(a->methods.n, 3);
    ck_assert_int_eq(a->attr_names.n, 2);
    ck_assert_str_eq(fg_value_str(a->attr_values.v[0]), "-2");
    ck_assert_str_eq(fg_value_str(a->attr_values.v[1]), "(1, 'a', None)");
    struct fg_func *meth = a->methods.v[0], *s = a->methods.v[1], *c = a->methods.v[2];
    ck_assert_str_eq(meth->qualname, "A.m");
    ck_assert_ptr_eq(meth->cls, a);
    ck_assert_str_eq(fg_value_str(meth->defaults[1]), "2.5");
    ck_assert_ptr_null(meth->defaults[0]);
    ck_assert(s->is_staticmethod && !s->is_classmethod);
    ck_assert_str_eq(s->vararg, "args");
    ck_assert_int_eq(s->nparams, 0);
    ck_assert_int_eq(s->graph->startblock->inputargs.n, 1);
    ck_assert(c->is_classmethod);
    ck_assert_int_eq(m->funcs.n, 1);
    struct fg_func *f = m->funcs.v[0];
    ck_assert_str_eq(fg_value_str(f->defaults[1]), "(1, -3)");
}
END_TEST

/* ---- errors ---- */

START_TEST(test_undefined_name)
{
    int n;
    const char *err = errors_of("def average(values):\n"
                                "    total = 0\n"
                                "    return totl / len(values)\n"
                                "print(later(), undefined_thing)\n"
                                "def later():\n"
                                "    return 1\n",
                                &n);
    ck_assert_int_eq(n, 2);
    ck_assert_has(err, "t.py:3:12: error: name 'totl' is not defined");
    ck_assert_has(err, "t.py:4:16: error: name 'undefined_thing' is not defined");
}
END_TEST

START_TEST(test_unsupported_constructs)
{
    int n;
    const char *err = errors_of("import os\n"
                                "def f(a, *, k=1, **kw):\n"
                                "    nonlocal q\n"
                                "    g = lambda: 1\n"
                                "    def inner():\n"
                                "        pass\n"
                                "    try:\n"
                                "        pass\n"
                                "    except (ValueError, q.E) as e:\n"
                                "        raise\n"
                                "    with open('x') as fh:\n"
                                "        yield fh\n"
                                "    del a\n"
                                "    x, *y = a\n"
                                "    return (i for i in a), f(**a), {**a}, [*a]\n"
                                "def h(a=[]):\n"
                                "    return sum(i for i in a), b'x'\n"
                                "class C:\n"
                                "    L = [1]\n"
                                "    print(1)\n",
                                &n);
    const char *expected[] = {
        "t.py:2:20: error: **kwargs parameters are not supported yet",
        "t.py:3:14: error: no binding for nonlocal 'q' found",
        "t.py:9:25: error: except clauses must name exception classes",
        "t.py:13:9: error: deleting a variable is not supported yet",
        "t.py:14:8: error: starred assignment targets are not supported yet",
        "error: **kwargs in a call is not supported yet",
        "error: ** unpacking in a dict display is not supported yet",
        "error: unpacking in a display is not supported yet",
        "t.py:17:31: error: bytes literals are not supported yet",
        "t.py:20:5: error: only methods and constant attributes are supported in a class body",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        ck_assert_has(err, expected[i]);
    ck_assert_int_eq(n, (int)(sizeof expected / sizeof expected[0]));
}
END_TEST

START_TEST(test_dead_code_still_checked)
{
    int n;
    const char *err = errors_of("def f():\n"
                                "    return 1\n"
                                "    print(nowhere)\n"
                                "while True:\n"
                                "    pass\n"
                                "print(after_loop)\n",
                                &n);
    ck_assert_int_eq(n, 2);
    ck_assert_has(err, "name 'nowhere' is not defined");
    ck_assert_has(err, "name 'after_loop' is not defined");
}
END_TEST

START_TEST(test_conformance_core_builds)
{
    /* A taste of core/: module-level loops, globals, classes, f-strings. */
    int n;
    errors_of("trace = []\n"
              "def val(name, v):\n"
              "    trace.append(name)\n"
              "    return v\n"
              "r = val('a', 0) and val('b', 9) or val('c', 8)\n"
              "class Node:\n"
              "    def __init__(self, label):\n"
              "        self.label = label\n"
              "for n in [-3, 0, 7]:\n"
              "    print(n, 'neg' if n < 0 else 'zero' if n == 0 else 'pos', f'{n:>5}')\n"
              "if __name__ == '__main__':\n"
              "    print(Node('x').label, {k: v for k, v in [(1, 2)]}, {x for x in trace})\n",
              &n);
    ck_assert_int_eq(n, 0);
}
END_TEST

static Suite *builder_suite(void)
{
    Suite *s = suite_create("builder");
    TCase *tc = tcase_create("golden");
    tcase_add_test(tc, test_fib);
    tcase_add_test(tc, test_while_break_else);
    tcase_add_test(tc, test_for_tuple_target_continue);
    tcase_add_test(tc, test_for_else);
    tcase_add_test(tc, test_and_or_values);
    tcase_add_test(tc, test_and_or_condition);
    tcase_add_test(tc, test_chained_comparison);
    tcase_add_test(tc, test_chained_comparison_value);
    tcase_add_test(tc, test_list_comprehension);
    tcase_add_test(tc, test_tuple_unpacking);
    tcase_add_test(tc, test_method);
    tcase_add_test(tc, test_global_function);
    tcase_add_test(tc, test_module_code);
    tcase_add_test(tc, test_fstring);
    tcase_add_test(tc, test_calls);
    tcase_add_test(tc, test_assert_raise);
    tcase_add_test(tc, test_subscripts);
    tcase_add_test(tc, test_ifexp_and_unbound);
    tcase_add_test(tc, test_module_comprehension);
    tcase_add_test(tc, test_try_except_else);
    tcase_add_test(tc, test_try_finally_jumps);
    tcase_add_test(tc, test_raise_in_try);
    tcase_add_test(tc, test_for_in_try);
    tcase_add_test(tc, test_with_statement);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("program");
    tcase_add_test(tp, test_program_structure);
    tcase_add_test(tp, test_undefined_name);
    tcase_add_test(tp, test_unsupported_constructs);
    tcase_add_test(tp, test_dead_code_still_checked);
    tcase_add_test(tp, test_conformance_core_builds);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(builder_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
