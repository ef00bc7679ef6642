/* natives.c - the standard modules the compiler implements itself: which
 * exist, and what each attribute is.
 *
 * One table: X(module, attribute, kind, value). A function or an object
 * with methods (sys.stdout) is a built-in constant named "module.attr",
 * whose rules are the annotator's and the rtyper's (like len's); a number
 * or str constant folds; a submodule (os.path) is a module. Standard
 * modules written in RPy (heapq, bisect) are not here: they are source
 * files of the compiler's lib/stdlib, found on the search path.
 */
#include "builder.h"

#include <math.h>
#include <string.h>

enum native_kind { N_FUNC, N_FLOAT, N_INT, N_STR, N_SUBMODULE };

#define NATIVE_ATTRS(X)                                                               \
    X("math", "pi", N_FLOAT, 3.141592653589793, NULL)                                  \
    X("math", "e", N_FLOAT, 2.718281828459045, NULL)                                   \
    X("math", "tau", N_FLOAT, 6.283185307179586, NULL)                                 \
    X("math", "inf", N_FLOAT, INFINITY, NULL)                                          \
    X("math", "nan", N_FLOAT, NAN, NULL)                                               \
    X("sys", "maxsize", N_INT, 9223372036854775807.0, NULL)                            \
    X("os", "path", N_SUBMODULE, 0, "os.path")                                         \
    X("string", "ascii_lowercase", N_STR, 0, "abcdefghijklmnopqrstuvwxyz")             \
    X("string", "ascii_uppercase", N_STR, 0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")             \
    X("string", "ascii_letters", N_STR, 0, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") \
    X("string", "digits", N_STR, 0, "0123456789")                                      \
    X("string", "hexdigits", N_STR, 0, "0123456789abcdefABCDEF")                       \
    X("string", "octdigits", N_STR, 0, "01234567")                                     \
    X("string", "punctuation", N_STR, 0, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")          \
    X("string", "whitespace", N_STR, 0, " \t\n\r\x0b\x0c")                             \
    X("string", "printable", N_STR, 0,                                                 \
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c")

/* Functions and objects: everything else a native module has, with the
 * signature of the simple ones (see fg_native_signature); "" for those
 * the annotator and rtyper handle one by one. */
static const struct {
    const char *name, *sig;
} native_funcs[] = {
    /* math */
    {"math.sqrt", "f:f"}, {"math.exp", "f:f"}, {"math.log", "f:f|f:ff=rpy_math_log_base"}, {"math.log2", "f:f"},
    {"math.log10", "f:f"}, {"math.pow", "f:ff"}, {"math.fabs", "f:f"}, {"math.floor", "i:f"}, {"math.ceil", "i:f"},
    {"math.trunc", "i:f"}, {"math.fmod", "f:ff"}, {"math.copysign", "f:ff"}, {"math.hypot", "f:ff"},
    {"math.modf", ""}, {"math.frexp", ""}, {"math.ldexp", "f:fi"}, {"math.sin", "f:f"}, {"math.cos", "f:f"},
    {"math.tan", "f:f"}, {"math.asin", "f:f"}, {"math.acos", "f:f"}, {"math.atan", "f:f"}, {"math.atan2", "f:ff"},
    {"math.sinh", "f:f"}, {"math.cosh", "f:f"}, {"math.tanh", "f:f"}, {"math.asinh", "f:f"}, {"math.acosh", "f:f"},
    {"math.atanh", "f:f"}, {"math.radians", "f:f"}, {"math.degrees", "f:f"}, {"math.isnan", "b:f"},
    {"math.isinf", "b:f"}, {"math.isfinite", "b:f"}, {"math.isclose", ""}, {"math.fsum", "f:L"},
    {"math.gcd", "i:ii"}, {"math.lcm", "i:ii"}, {"math.factorial", "i:i"}, {"math.isqrt", "i:i"},
    {"math.comb", "i:ii"}, {"math.perm", "i:ii"}, {"math.exp2", "f:f"}, {"math.expm1", "f:f"},
    {"math.log1p", "f:f"}, {"math.cbrt", "f:f"}, {"math.gamma", "f:f"}, {"math.lgamma", "f:f"}, {"math.erf", "f:f"},
    {"math.erfc", "f:f"}, {"math.remainder", "f:ff"}, {"math.dist", "f:LL"},
    {"math.nextafter", "f:ff"}, {"math.ulp", "f:f"}, {"math.prod", ""},
    /* random */
    {"random.seed", "n:i|n:=rpy_random_seed_none"}, {"random.random", "f:"}, {"random.randint", "i:ii"},
    {"random.randrange", ""}, {"random.choice", ""}, {"random.shuffle", "n:L"}, {"random.uniform", "f:ff"},
    {"random.gauss", "f:ff"}, {"random.getrandbits", "i:i"},
    /* sys: stdout/stderr/stdin and argv are values */
    {"sys.argv", ""}, {"sys.exit", ""}, {"sys.stdout", ""}, {"sys.stderr", ""}, {"sys.stdin", ""},
    {"sys.setrecursionlimit", "n:i"}, {"sys.getrecursionlimit", "i:"},
    /* os */
    {"os.getenv", "S:s=rpy_os_getenv1|S:sS"}, {"os.path.exists", "b:s"}, {"os.path.join", "s:ss"},
    /* time */
    {"time.time", "f:"}, {"time.perf_counter", "f:"}, {"time.sleep", "n:f"}, {"time.monotonic", "f:"},
    /* collections */
    {"collections.deque", ""},
    /* the coroutine primitives under lib/stdlib/rpy/greenlet.py (runtime/stackless.c) */
    {"_rpystackless.new", "i:=rpy_sl_new"}, {"_rpystackless.current", "i:=rpy_sl_current"},
    {"_rpystackless.switch", "b:i=rpy_sl_switch"}, {"_rpystackless.exit_to", "n:i=rpy_sl_exit_to"},
    {"_rpystackless.keep_traceback", "n:=rpy_keep_traceback"},
    {"_rpystackless.print_kept_exception", "n:s=rpy_print_kept_exception"},
};

const char *fg_native_signature(const char *full)
{
    for (size_t i = 0; i < sizeof native_funcs / sizeof native_funcs[0]; i++)
        if (!strcmp(native_funcs[i].name, full))
            return native_funcs[i].sig;
    return NULL;
}

/* (itertools is written in RPy: lib/stdlib/itertools.py) */
static const char *const native_modules[] = {"math", "random", "sys", "os", "os.path", "time", "collections",
                                             "string", "_rpystackless", NULL};

bool fg_is_native_module(const char *name)
{
    for (int i = 0; native_modules[i]; i++)
        if (!strcmp(native_modules[i], name))
            return true;
    return false;
}

static struct fg_module *native_submodule(struct fg_program *prog, const char *name)
{
    struct fg_module *m = fg_find_module(prog, name);
    if (m)
        return m;
    m = SP_NEW(struct fg_module);
    m->name = sp_intern(name);
    m->is_native = true;
    sp_vec_push(&prog->modules, m);
    return m;
}

static const struct {
    const char *module, *attr;
    enum native_kind kind;
    double num;
    const char *text;
} native_attrs[] = {
#define X(mod, attr, kind, num, text) {mod, attr, kind, num, text},
    NATIVE_ATTRS(X)
#undef X
};

struct fg_value *fg_native_attr_in(struct fg_program *prog, struct fg_module *m, const char *name)
{
    for (size_t i = 0; i < sizeof native_attrs / sizeof native_attrs[0]; i++) {
        if (strcmp(m->name, native_attrs[i].module) || strcmp(name, native_attrs[i].attr))
            continue;
        const char *text = native_attrs[i].text;
        switch (native_attrs[i].kind) {
        case N_FLOAT: return fg_const_float(native_attrs[i].num);
        case N_INT: return fg_const_int(INT64_MAX); /* sys.maxsize, the one int */
        case N_STR: return fg_const_str(text, strlen(text));
        case N_SUBMODULE: return fg_const_obj(FG_C_MODULE, native_submodule(prog, text));
        default: return NULL;
        }
    }
    const char *full = sp_fmt("%s.%s", m->name, name);
    if (fg_native_signature(full))
        return fg_const_builtin(sp_intern(full));
    return NULL;
}
