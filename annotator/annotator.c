/* annotator.c - the fixpoint: pending blocks, re-flow on growth, calls,
 * globals, classes.
 *
 * Requires: graphs built and checked (flowgraph). Provides: an annotation
 * on every variable of every reachable block (var->ann), per-op facts in
 * op->aux (struct ann_opinfo), and the ann_result tables.
 *
 * The algorithm is RPython's: start from the entry module's top-level code
 * with nothing bound; annotate a block op by op; an op whose result is
 * still impossible (a callee that has not returned yet) stops the block,
 * which is re-flowed when that changes. Following a link unions the link's
 * values into the target's input bindings; a target whose bindings grew is
 * scheduled again. Bindings only grow, and the lattice has finite height,
 * so the loop ends.
 */
#include "internal.h"

#include <stdint.h>
#include <ctype.h>
#include <string.h>

static struct ann_result *result;
static struct sp_vec queue;       /* fg_block* */
static int queue_head;
static struct fg_block *current_block;
static struct fg_op *current_op;

struct fg_op *ann_current_op(void) { return current_op; }
struct fg_block *ann_current_block(void) { return current_block; }
struct ann_result *ann_the_result(void) { return result; }

static struct ann_blockinfo *blockinfo(struct fg_block *b, struct fg_graph *g)
{
    struct ann_blockinfo *bi = b->aux;
    if (!bi) {
        bi = SP_NEW(struct ann_blockinfo);
        bi->graph = g;
        b->aux = bi;
    }
    return bi;
}

static void schedule(struct fg_block *b)
{
    struct ann_blockinfo *bi = b->aux;
    if (bi->pending)
        return;
    bi->pending = true;
    sp_vec_push(&queue, b);
}

struct ann_opinfo *ann_opinfo(struct fg_op *op)
{
    if (!op->aux)
        op->aux = SP_NEW(struct ann_opinfo);
    return op->aux;
}

void ann_add_reader(struct sp_vec *readers)
{
    if (!current_block)
        return;
    for (int i = 0; i < readers->n; i++)
        if (readers->v[i] == current_block)
            return;
    sp_vec_push(readers, current_block);
}

void ann_reflow_readers(struct sp_vec *readers)
{
    for (int i = 0; i < readers->n; i++)
        schedule(readers->v[i]);
}

/* ---- errors ---- */

/* "an int", "a str" */
static const char *article(const char *type)
{
    return strchr("aeiouAEIOU", type[0]) ? "an" : "a";
}

/* Whether two types differ only where one has an int and the other a
 * float (tuple[str, int] and tuple[str, float]): said in the message. */
static const char *float_for_int(const char *t)
{
    struct sp_buf b = {0};
    for (const char *p = t; *p;) {
        if (!strncmp(p, "int", 3) && (p == t || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[3])) {
            sp_buf_puts(&b, "float");
            p += 3;
        } else {
            sp_buf_printf(&b, "%c", *p++);
        }
    }
    return sp_buf_cstr(&b);
}

static bool only_int_float(struct ann_value *a, struct ann_value *b)
{
    const char *x = ann_typename(a), *y = ann_typename(b);
    return strcmp(x, y) != 0 && strcmp(float_for_int(x), float_for_int(y)) == 0;
}

/* The calls that made the specialised copies of the function being
 * annotated, one note each (a conflict between its copies). */
static void note_copies(void)
{
    struct fg_block *b = ann_current_block();
    struct ann_blockinfo *bi = b ? b->aux : NULL;
    if (!bi || !bi->graph || !bi->graph->func)
        return;
    struct fg_func *f = bi->graph->func;
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (fi->original)
        f = fi->original, fi = ann_funcinfo(f);
    if (!fi->copies.n)
        return;
    int shown = 0;
    for (int v = -1; v < fi->copies.n && shown < 4; v++) {
        struct fg_func *version = v < 0 ? f : fi->copies.v[v];
        struct ann_funcinfo *vi = ann_funcinfo(version);
        for (int c = 0; c < vi->callers.n && shown < 4; c++) {
            struct fg_block *caller = vi->callers.v[c];
            for (int k = 0; k < caller->ops.n; k++) {
                struct fg_op *op = caller->ops.v[k];
                struct ann_opinfo *oi = op->aux;
                if (!oi || oi->target != version || !version->graph)
                    continue;
                struct sp_buf types = {0};
                struct sp_vec *in = &version->graph->startblock->inputargs;
                for (int a = 0; a < in->n; a++) {
                    struct ann_value *av = ann_of(in->v[a]);
                    sp_buf_printf(&types, "%s%s", a ? ", " : "", av ? ann_typename(av) : "?");
                }
                sp_note(op->pos, "the copy of %s(%s) comes from this call", f->qualname, sp_buf_cstr(&types));
                shown++;
                break;
            }
        }
    }
}

void ann_conflict(struct srcpos pos, const char *what, struct ann_value *old, struct ann_value *new_)
{
    struct srcpos here = new_->origin.file ? new_->origin : pos;
    bool none_clash = old->kind == ANN_NONE || new_->kind == ANN_NONE;
    if (none_clash) {
        struct ann_value *val = old->kind == ANN_NONE ? new_ : old;
        struct ann_value *none = old->kind == ANN_NONE ? old : new_;
        struct srcpos at = none->origin.file ? none->origin : here;
        bool falls_off = none->is_const && none->constv && none->constv->bound_as == sp_intern("<end of function>");
        sp_error(at, "type conflict: %s may be None %s, but it also holds %s, which cannot be None "
                     "(only instances, str, list, dict and set values may be None)",
                 what, falls_off ? "(the function can reach its end after this statement without a return, "
                                   "and then returns None)" : "here",
                 ann_typename(val));
        if (val->origin.file)
            sp_note(val->origin, "%s gets %s %s here", what, article(ann_typename(val)), ann_typename(val));
        return;
    }
    bool bool_int = (old->kind == ANN_BOOL && new_->kind == ANN_INT) || (old->kind == ANN_INT && new_->kind == ANN_BOOL);
    bool int_float = (old->kind == ANN_FLOAT && new_->kind == ANN_INT) ||
                     (old->kind == ANN_INT && new_->kind == ANN_FLOAT) || only_int_float(old, new_);
    sp_error(here, "type conflict: %s gets %s %s here%s", what, article(ann_typename(new_)), ann_typename(new_),
             bool_int    ? " (bools and ints do not mix: they print differently; convert with int())"
             : int_float ? " (ints and floats do not mix: they print differently; convert with float())"
                         : "");
    bool same_place = old->origin.file && old->origin.file == here.file && old->origin.line == here.line &&
                      old->origin.col == here.col;
    if (same_place) {
        sp_note(old->origin,
                "but it gets %s %s here too: this code is compiled once per tuple of argument types of its "
                "function (specialisation), and what the copies make meets in one place",
                article(ann_typename(old)), ann_typename(old));
        note_copies();
    }
    else if (old->origin.file)
        sp_note(old->origin, "but it gets %s %s here", article(ann_typename(old)), ann_typename(old));
    else
        sp_note(pos, "where the two meet (%s and %s)", ann_typename(old), ann_typename(new_));
}

/* A mixed list display ([1, "a"]) used as a list of one type: the error is
 * at the display, with a note for the first item of each type and one for
 * the use. */
void ann_mixed_list_error(struct srcpos use, struct ann_value *list, const char *how)
{
    struct sp_buf types = {0};
    struct ann_value *seen[list->nitems + 1];
    int nseen = 0;
    for (int i = 0; i < list->nitems; i++) {
        struct ann_value *it = list->items[i];
        bool dup = false;
        for (int k = 0; k < nseen && !dup; k++)
            dup = ann_can_union(seen[k], it);
        if (dup)
            continue;
        seen[nseen++] = it;
        sp_buf_printf(&types, "%s%s", nseen > 1 ? " and " : "", ann_typename(it));
    }
    sp_error(list->mixed_at, "type conflict: list items must have one type, but this list mixes %s",
             sp_buf_cstr(&types));
    for (int k = 0; k < nseen; k++)
        if (seen[k]->origin.file)
            sp_note(seen[k]->origin, "an item of type %s", ann_typename(seen[k]));
    sp_note(use, "the list is %s here, which needs items of one type", how);
}

/* One conflict can be met on several paths (each link into a merge
 * point, each re-flow of a block): print each diagnostic text once. A
 * replay into an enclosing capture (a conflict found inside an op rule)
 * is not printed yet, so it is not remembered: the enclosing capture
 * decides. */
static void replay_once(struct sp_captured *c)
{
    static struct sp_vec printed;
    if (!c)
        return;
    const char *text = sp_captured_text(c);
    for (int i = 0; i < printed.n; i++)
        if (strcmp(printed.v[i], text) == 0)
            return;
    if (!sp_capture_active())
        sp_vec_push(&printed, (void *)text);
    sp_replay(c);
}

/* Container items, attributes and globals are never compile-time
 * constants (they may change), except constant objects (functions,
 * classes), which are what a PBC annotation is. */
struct ann_value *ann_unconst(struct ann_value *a)
{
    if (!a->is_const || a->kind == ANN_PBC)
        return a;
    a = ann_copy(a);
    a->is_const = false;
    a->constv = NULL;
    return a;
}

/* ---- containers ---- */

bool ann_grow_item(struct ann_listdef *def, bool value_slot, struct ann_value *v, struct srcpos pos,
                   const char *what)
{
    def = ann_listdef(def);
    struct ann_value *old = value_slot ? def->value : def->item;
    /* An item stored by an operation on another line than where the value
     * was made (out.append(i), i from a loop): the item gets its type at
     * the store, and a conflict notes where the value comes from too.
     * Displays keep their items' own places. */
    struct fg_op *op = ann_current_op();
    struct ann_value *made = v;
    if (op && op->opcode != OP_NEWLIST && op->opcode != OP_NEWDICT && op->opcode != OP_NEWSET &&
        v->kind != ANN_NONE && pos.file && v->origin.file &&
        (v->origin.file != pos.file || v->origin.line != pos.line)) {
        v = ann_copy(v);
        v->origin = pos;
    }
    struct ann_value *u = ann_union(old, v);
    if (!u) {
        ann_conflict(pos, what, old, v);
        if (made != v)
            sp_note(made->origin, "the %s stored comes from here", ann_typename(made));
        return false;
    }
    u = ann_unconst(u);
    if (!ann_equal(u, old)) {
        if (value_slot)
            def->value = u;
        else
            def->item = u;
        ann_reflow_readers(&def->readers);
    }
    return true;
}

/* ---- globals ---- */

/* The globals by (module, interned name): open addressing, every global
 * read and write looks one up. */
struct gindex {
    struct ann_global **slots;
    size_t cap, n;
};

static size_t ghash(const struct fg_module *m, const char *name)
{
    uint64_t h = (uint64_t)(uintptr_t)m * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)name * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 31));
}

static struct ann_global **gslot(struct gindex *x, const struct fg_module *m, const char *name)
{
    size_t i = ghash(m, name) & (x->cap - 1);
    while (x->slots[i] && !(x->slots[i]->module == m && x->slots[i]->name == name))
        i = (i + 1) & (x->cap - 1);
    return &x->slots[i];
}

static void gindex_add(struct gindex *x, struct ann_global *g)
{
    if ((x->n + 1) * 2 > x->cap) {
        struct gindex bigger = {sp_alloc(sizeof(struct ann_global *) * (x->cap ? x->cap * 2 : 64)),
                                x->cap ? x->cap * 2 : 64, 0};
        memset(bigger.slots, 0, sizeof(struct ann_global *) * bigger.cap);
        for (size_t i = 0; i < x->cap; i++)
            if (x->slots[i])
                *gslot(&bigger, x->slots[i]->module, x->slots[i]->name) = x->slots[i];
        bigger.n = x->n;
        *x = bigger;
    }
    *gslot(x, g->module, g->name) = g;
    x->n++;
}

static struct ann_global *gindex_find(struct ann_result *r, const struct fg_module *m, const char *name)
{
    struct gindex *x = r->globals_index;
    return x && x->cap ? *gslot(x, m, name) : NULL;
}

struct ann_global *ann_global(struct fg_module *m, const char *name)
{
    struct ann_global *g = gindex_find(result, m, name);
    if (g)
        return g;
    g = SP_NEW(struct ann_global);
    g->module = m;
    g->name = name;
    g->ann = ann_impossible();
    g->id = result->globals.n;
    sp_vec_push(&result->globals, g);
    if (!result->globals_index)
        result->globals_index = SP_NEW(struct gindex);
    gindex_add(result->globals_index, g);
    return g;
}

struct ann_global *ann_find_global(struct ann_result *r, struct fg_module *m, const char *name)
{
    if (!r)
        r = result;
    return gindex_find(r, m, name);
}

/* A module-level name bound by exactly one setglobal, to a constant, is a
 * compile-time constant: reads fold to it. */
static void scan_globals(struct fg_program *prog)
{
    for (int f = 0; f < prog->allfuncs.n; f++) {
        struct fg_func *fn = prog->allfuncs.v[f];
        struct sp_vec blocks = {0};
        fg_graph_blocks(fn->graph, &blocks);
        for (int i = 0; i < blocks.n; i++) {
            struct fg_block *b = blocks.v[i];
            for (int j = 0; j < b->ops.n; j++) {
                struct fg_op *op = b->ops.v[j];
                if (op->opcode != OP_SETGLOBAL)
                    continue;
                struct ann_global *g = ann_global(op->args[0]->obj, op->args[1]->str);
                g->nsets++;
                g->constv = op->args[2]->kind == FG_CONST ? op->args[2] : NULL;
            }
        }
    }
    for (int i = 0; i < result->globals.n; i++) {
        struct ann_global *g = result->globals.v[i];
        g->is_const = g->nsets == 1 && g->constv && g->constv->ckind != FG_C_UNDEFINED;
        if (g->is_const)
            g->ann = ann_of(g->constv);
        else
            g->constv = NULL;
    }
}

/* ---- calls ---- */

struct ann_funcinfo *ann_funcinfo(struct fg_func *f)
{
    if (!f->aux)
        f->aux = SP_NEW(struct ann_funcinfo);
    return f->aux;
}

static void start_graph(struct fg_func *f)
{
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (fi->started)
        return;
    fi->started = true;
    sp_vec_push(&result->graphs, f->graph);
    struct sp_vec blocks = {0};
    fg_graph_blocks(f->graph, &blocks);
    for (int i = 0; i < blocks.n; i++)
        blockinfo(blocks.v[i], f->graph);
}

/* Union `a` into variable v's binding; true if it grew. */
static bool bind(struct fg_value *v, struct ann_value *a, struct srcpos pos, const char *what)
{
    if (a->kind == ANN_IMPOSSIBLE)
        return false;
    struct ann_value *old = v->ann ? v->ann : ann_impossible();
    struct ann_value *u = ann_union(old, a);
    if (!u) {
        sp_capture_begin();
        ann_conflict(pos, what, old, a);
        replay_once(sp_capture_end());
        if (!old->poisoned) {
            v->ann = ann_copy(old);
            v->ann->poisoned = true;
        }
        return false;
    }
    if (ann_equal(u, old))
        return false;
    v->ann = u;
    return true;
}

/* ---- specialisation ---- */

/* A user function specialised this many times is growing its argument
 * types without bound (a recursion through ever deeper lists...). The
 * prelude's get one copy per key function or element type of the
 * program: many more are fine. */
enum { MAX_COPIES = 16, MAX_PRELUDE_COPIES = 1000 };

static bool accepts(struct fg_func *f, struct ann_value **args, int nargs)
{
    struct fg_block *start = f->graph->startblock;
    for (int i = 0; i < nargs; i++) {
        struct fg_value *p = start->inputargs.v[i];
        if (p->ann && !ann_can_union(p->ann, args[i]))
            return false;
    }
    return true;
}

static bool same_shapes(struct fg_func *f, struct ann_value **args, int nargs)
{
    struct fg_block *start = f->graph->startblock;
    for (int i = 0; i < nargs; i++) {
        struct fg_value *p = start->inputargs.v[i];
        if (!p->ann || !ann_same_shape(p->ann, ann_unconst(args[i])))
            return false;
    }
    return true;
}

/* The versions of a prelude (or stdlib) function by the shape of the
 * arguments they were made for: a big program calls _sorted_key and its
 * kin from thousands of places, each with its own key function. */
struct shape_index {
    uint64_t *hashes;
    struct fg_func **funcs;
    size_t cap, n;
};

static uint64_t hmix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001B3ull + (h >> 29); }

/* Consistent with ann_same_shape: equal shapes hash alike. */
static uint64_t shape_hash(struct ann_value *a, int depth)
{
    uint64_t h = hmix((uint64_t)a->kind, a->nullable);
    if (depth > 3)
        return h;
    switch (a->kind) {
    case ANN_LIST:
    case ANN_DICT:
    case ANN_SET: {
        struct ann_listdef *d = ann_listdef(a->def);
        h = hmix(h, (uint64_t)d->is_deque * 2 + d->is_tuple);
        h = hmix(h, shape_hash(d->item, depth + 1));
        return d->value ? hmix(h, shape_hash(d->value, depth + 1)) : h;
    }
    case ANN_TUPLE:
        h = hmix(h, (uint64_t)a->nitems * 2 + a->mixed_list);
        for (int i = 0; i < a->nitems; i++)
            h = hmix(h, shape_hash(a->items[i], depth + 1));
        return h;
    case ANN_INSTANCE:
        return hmix(h, (uint64_t)(uintptr_t)a->classdef);
    case ANN_ITER:
        return hmix(h, shape_hash(a->of, depth + 1));
    case ANN_PBC:
        if (a->constv->ckind == FG_C_BUILTIN)
            for (const char *p = a->constv->str; *p; p++)
                h = hmix(h, (unsigned char)*p);
        else
            h = hmix(h, (uint64_t)(uintptr_t)a->constv->obj);
        return h;
    default:
        return h;
    }
}

static void index_put(struct shape_index *x, uint64_t h, struct fg_func *f)
{
    if ((x->n + 1) * 2 > x->cap) {
        struct shape_index b = {0};
        b.cap = x->cap ? x->cap * 2 : 16;
        b.hashes = sp_alloc(sizeof(uint64_t) * b.cap);
        b.funcs = sp_alloc(sizeof(struct fg_func *) * b.cap);
        memset(b.funcs, 0, sizeof(struct fg_func *) * b.cap);
        for (size_t i = 0; i < x->cap; i++)
            if (x->funcs[i])
                index_put(&b, x->hashes[i], x->funcs[i]);
        *x = b;
    }
    size_t i = (size_t)h & (x->cap - 1);
    while (x->funcs[i])
        i = (i + 1) & (x->cap - 1);
    x->hashes[i] = h;
    x->funcs[i] = f;
    x->n++;
}

static struct fg_func *new_copy(struct fg_func *f, struct ann_funcinfo *fi, struct srcpos pos, int limit)
{
    if (fi->copies.n >= limit) {
        sp_error(pos, "%s() is called with more than %d different combinations of argument types (the limit "
                      "of its specialised copies)",
                 f->qualname, limit + 1);
        return NULL;
    }
    struct fg_func *c = fg_copy_function(f);
    ann_funcinfo(c)->original = f;
    sp_vec_push(&fi->copies, c);
    return c;
}

static bool is_fresh(struct fg_func *f, int nargs)
{
    /* a version never called yet takes anything */
    struct fg_value *p0 = nargs ? f->graph->startblock->inputargs.v[0] : NULL;
    return !p0 || !p0->ann;
}

static struct fg_func *specialize_by_shape(struct fg_func *f, struct ann_funcinfo *fi, struct ann_value **args,
                                           int nargs, struct srcpos pos)
{
    if (!fi->by_shape)
        fi->by_shape = SP_NEW(struct shape_index);
    struct shape_index *x = fi->by_shape;
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < nargs; i++)
        h = hmix(h, shape_hash(ann_unconst(args[i]), 0));
    for (size_t i = x->cap ? (size_t)h & (x->cap - 1) : 0; x->cap && x->funcs[i]; i = (i + 1) & (x->cap - 1))
        if (x->hashes[i] == h && (is_fresh(x->funcs[i], nargs) || same_shapes(x->funcs[i], args, nargs)))
            return x->funcs[i];
    struct fg_func *c = is_fresh(f, nargs) ? f : new_copy(f, fi, pos, MAX_PRELUDE_COPIES);
    if (c)
        index_put(x, h, c);
    return c;
}

struct fg_func *ann_specialize(struct fg_func *f, struct ann_value **args, int nargs, struct srcpos pos)
{
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (fi->original)
        f = fi->original, fi = ann_funcinfo(f);
    bool by_shape = f->module->is_prelude || f->module->is_stdlib;
    if (by_shape)
        return specialize_by_shape(f, fi, args, nargs, pos);
    int limit = MAX_COPIES;
    struct fg_func **cands = sp_alloc(sizeof(struct fg_func *) * (size_t)(fi->copies.n + 2));
    int n = 0;
    cands[n++] = f;
    for (int i = 0; i < fi->copies.n; i++)
        cands[n++] = fi->copies.v[i];
    for (int i = 0; i < n; i++)
        if (is_fresh(cands[i], nargs) || accepts(cands[i], args, nargs))
            return cands[i];
    struct fg_func *c = new_copy(f, fi, pos, limit);
    if (!c) {
        struct sp_buf types = {0};
        for (int i = 0; i < nargs; i++)
            sp_buf_printf(&types, "%s%s", i ? ", " : "", ann_typename(args[i]));
        sp_note(pos, "this call would need copy %d, for arguments (%s)", limit + 2, sp_buf_cstr(&types));
    }
    return c;
}

struct ann_value *ann_call_func(struct fg_func *f, struct ann_value **args, int nargs, struct srcpos pos)
{
    start_graph(f);
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (current_block)
        ann_add_reader(&fi->callers);
    struct fg_block *start = f->graph->startblock;
    SP_ASSERT(nargs == start->inputargs.n);
    bool grew = false;
    for (int i = 0; i < nargs; i++) {
        struct fg_value *param = start->inputargs.v[i];
        const char *what = sp_fmt("argument '%s' of %s()", param->name, f->qualname);
        grew |= bind(param, args[i], pos, what);
    }
    if (grew || !((struct ann_blockinfo *)start->aux)->reached)
        schedule(start);
    struct fg_value *ret = f->graph->returnblock->inputargs.v[0];
    return ret->ann ? ret->ann : ann_impossible();
}

bool ann_block_reached(struct fg_block *b)
{
    struct ann_blockinfo *bi = b->aux;
    return bi && bi->reached;
}

struct fg_func *ann_call_target(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi ? oi->target : NULL;
}

struct sp_vec *ann_method_targets(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi ? oi->targets : NULL;
}

struct ann_classdef *ann_instantiates(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi ? oi->instantiates : NULL;
}

const char *ann_special_of(struct fg_op *op, int *recv, enum ann_special_mode *mode)
{
    struct ann_opinfo *oi = op->aux;
    if (!oi || !oi->special)
        return NULL;
    *recv = oi->special_recv;
    *mode = oi->special_mode;
    return oi->special;
}

struct fg_value *ann_module_callee(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi ? oi->callee : NULL;
}

struct fg_value **ann_prelude_args(struct fg_op *op, int *n)
{
    struct ann_opinfo *oi = op->aux;
    if (!oi || !oi->prelude_vals)
        return NULL;
    *n = oi->nprelude;
    return oi->prelude_vals;
}

struct fg_value **ann_family_args(struct fg_op *op, int *n)
{
    struct ann_opinfo *oi = op->aux;
    if (!oi || !oi->family_vals)
        return NULL;
    *n = oi->nfamily;
    return oi->family_vals;
}

bool ann_is_attr_call(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi && oi->attr_call;
}

bool ann_is_exc_init(struct fg_op *op)
{
    struct ann_opinfo *oi = op->aux;
    return oi && oi->exc_init;
}

/* ---- flowing a block ---- */

/* The exception a handler link catches: an instance of its class. */
static void bind_caught(struct fg_link *link)
{
    if (!link->last_exc_value || link->last_exc_value->ann)
        return;
    struct ann_classdef *cd = ann_classdef_for(link->exitcase);
    if (!cd)
        cd = ann_builtin_classdef("BaseException");
    struct ann_value *a = ann_instance(cd, false, link->exitcase ? link->exitcase->pos : (struct srcpos){0});
    link->last_exc_value->ann = a;
    if (link->last_exception)
        link->last_exception->ann = a;
}

/* How a conflict in the return value of a function names it: by the local
 * variable returned, when every return so far returns that one. */
static const char *return_what(struct ann_blockinfo *ti, struct fg_value *arg, struct ann_value *a)
{
    /* a temporary is named "v", not interned (flowgraph's fg_is_temp_name) */
    const char *name = arg->kind == FG_VAR ? arg->name : arg->bound_as;
    if (name && (name != sp_intern(name) || strncmp(name, "__", 2) == 0 || name[0] == '<'))
        name = NULL;
    const char *same = ti->ret_seen && name && ti->ret_name == name ? name : NULL;
    if (a->kind != ANN_IMPOSSIBLE) {
        ti->ret_name = ti->ret_seen && ti->ret_name != name ? NULL : name;
        ti->ret_seen = true;
    }
    if (same)
        return sp_fmt("variable '%s' (the return value of %s())", same, ti->graph->name);
    return sp_fmt("the return value of %s()", ti->graph->name);
}

/* `narrow` (may be NULL) replaces the annotation of var `nvar` on this
 * link: what an isinstance or `is None` test proved on this exit. */
static bool follow_link(struct fg_link *link, struct fg_value *nvar, struct ann_value *narrow)
{
    struct fg_block *target = link->target;
    bool grew = false;
    bind_caught(link);
    for (int i = 0; i < link->args.n; i++) {
        struct fg_value *arg = link->args.v[i];
        struct fg_value *in = target->inputargs.v[i];
        struct ann_value *a = arg == nvar && narrow ? narrow : ann_of(arg);
        /* a temporary ("v": a conditional expression's or a boolean
         * operator's value) is no variable of the program */
        const char *what = target->is_return            ? return_what(target->aux, arg, a)
                           : in->name && strcmp(in->name, "v") ? sp_fmt("variable '%s'", in->name)
                                                        : "the value of this expression";
        struct srcpos pos = arg->pos.file ? arg->pos : (link->prev->ops.n ? ((struct fg_op *)link->prev->ops.v[link->prev->ops.n - 1])->pos : arg->pos);
        grew |= bind(in, a, pos, what);
    }
    struct ann_blockinfo *ti = target->aux;
    if (grew || !ti->reached) {
        if (target->is_return) {
            struct ann_funcinfo *fi = ann_funcinfo(ti->graph->func);
            ti->reached = true;
            if (grew)
                ann_reflow_readers(&fi->callers);
        } else if (target->is_except) {
            ti->reached = true;
        } else {
            schedule(target);
        }
    }
    return grew;
}

/* The op of block b that computes v, looking through bool() and
 * same_as, if it recorded a narrowing. */
static struct ann_opinfo *narrowing_of(struct fg_block *b, struct fg_value *v)
{
    for (int i = b->ops.n - 1; i >= 0; i--) {
        struct fg_op *op = b->ops.v[i];
        if (op->result != v)
            continue;
        if ((op->opcode == OP_BOOL || op->opcode == OP_SAME_AS) && op->args[0]->kind == FG_VAR)
            return narrowing_of(b, op->args[0]);
        struct ann_opinfo *oi = op->aux;
        return oi && oi->narrow_var ? oi : NULL;
    }
    return NULL;
}

static void flow_exits(struct fg_block *b)
{
    struct ann_opinfo *narrow = NULL;
    if (b->exitswitch && b->exitswitch != fg_last_exception) {
        struct ann_value *sw = ann_of(b->exitswitch);
        if (sw->is_const && sw->constv) {
            /* Only the exit the constant selects is live. */
            for (int i = 0; i < b->exits.n; i++) {
                struct fg_link *l = b->exits.v[i];
                if (l->exitcase && l->exitcase->ival == sw->constv->ival) {
                    follow_link(l, NULL, NULL);
                    return;
                }
            }
        }
        if (b->exitswitch->kind == FG_VAR)
            narrow = narrowing_of(b, b->exitswitch);
    }
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        struct ann_value *n = NULL;
        if (narrow && l->exitcase && l->exitcase->ckind == FG_C_BOOL)
            n = l->exitcase->ival ? narrow->narrow_true : narrow->narrow_false;
        follow_link(l, narrow ? narrow->narrow_var : NULL, n);
    }
}

/* Once nothing grows, the errors still pending are final: the blocks that
 * stopped at one are flowed again past it, to find the independent errors
 * after it. */
static bool exploring;

static void flow_block(struct fg_block *b)
{
    struct ann_blockinfo *bi = b->aux;
    bi->reached = true;
    bi->pending_errors.n = 0;
    current_block = b;
    /* After an error the block goes on (the failed op's value unknown, the
     * ops that read it skipped), so that one run reports the independent
     * errors after it too. */
    bool erring = false;
    /* An input still unbound (e.g. a local not assigned on any path seen so
     * far) is fine as long as no op reads it: such an op stops the block. */
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        struct ann_value *argv[op->nargs + 1];
        bool stop = false;
        for (int j = 0; j < op->nargs; j++) {
            argv[j] = ann_of(op->args[j]);
            if (argv[j]->kind == ANN_IMPOSSIBLE)
                stop = true;
        }
        if (stop) {
            if (erring)
                continue;
            current_block = NULL;
            return;
        }
        current_op = op;
        sp_capture_begin();
        struct ann_value *r = ann_op(op, argv);
        struct sp_captured *diags = sp_capture_end();
        current_op = NULL;
        /* An error, or a rule that waits with a diagnostic that stands if
         * nothing changes (an attribute not assigned anywhere yet). */
        bool follows = false; /* an error that only follows from a conflict already reported */
        for (int j = 0; j < op->nargs && !r && diags; j++)
            follows |= argv[j]->poisoned;
        if ((!r || r->kind == ANN_IMPOSSIBLE) && diags && !follows)
            sp_vec_push(&bi->pending_errors, diags);
        if (!r || r->kind == ANN_IMPOSSIBLE) {
            /* An error (kept until the end) or a value not known yet. */
            if (!r && !diags)
                sp_die("annotator: op %s returned no annotation without an error", fg_opname(op->opcode));
            if (r && i == b->ops.n - 1 && b->exitswitch == fg_last_exception) {
                /* an op that never produces a value (so far) may still
                 * raise into the handlers: a loop over a container that
                 * never gets an item ends at once (its StopIteration
                 * exit), [].pop() raises IndexError */
                for (int k = 1; k < b->exits.n; k++)
                    follow_link(b->exits.v[k], NULL, NULL);
            }
            if (!r || (diags && exploring)) { /* an error (a value that waits stops the block) */
                erring = true;
                continue;
            }
            if (erring)
                continue;
            current_block = NULL;
            return;
        }
        replay_once(diags); /* a conflict found while the rule succeeded */
        /* A result's origin is the op that made it: for a value read from a
         * container or returned by a call, that is where the program got it. */
        if (op->opcode != OP_SAME_AS && (r->origin.file != op->pos.file || r->origin.line != op->pos.line ||
                                         r->origin.col != op->pos.col)) {
            r = ann_copy(r);
            r->origin = op->pos;
        }
        op->result->ann = r;
    }
    flow_exits(b);
    current_block = NULL;
}

static void run_queue(void)
{
    while (queue_head < queue.n) {
        if (sp_error_count() >= SP_MAX_ERRORS)
            return;
        struct fg_block *b = queue.v[queue_head++];
        ((struct ann_blockinfo *)b->aux)->pending = false;
        flow_block(b);
        /* Compact the queue now and then. */
        if (queue_head > 4096 && queue_head * 2 > queue.n) {
            memmove(queue.v, queue.v + queue_head, sizeof(void *) * (size_t)(queue.n - queue_head));
            queue.n -= queue_head;
            queue_head = 0;
        }
    }
}

static void explore_past_errors(void)
{
    exploring = true;
    for (int i = 0; i < result->graphs.n; i++) {
        struct sp_vec blocks = {0};
        fg_graph_blocks(result->graphs.v[i], &blocks);
        for (int k = 0; k < blocks.n; k++) {
            struct ann_blockinfo *bi = ((struct fg_block *)blocks.v[k])->aux;
            if (bi && bi->pending_errors.n)
                schedule(blocks.v[k]);
        }
    }
    run_queue();
    exploring = false;
}

/* The op errors still standing once nothing grows any more, in program
 * order. */
static void report_pending_errors(void)
{
    for (int i = 0; i < result->graphs.n; i++) {
        struct fg_graph *g = result->graphs.v[i];
        struct sp_vec blocks = {0};
        fg_graph_blocks(g, &blocks);
        for (int k = 0; k < blocks.n; k++) {
            struct ann_blockinfo *bi = ((struct fg_block *)blocks.v[k])->aux;
            for (int e = 0; bi && e < bi->pending_errors.n && sp_error_count() < SP_MAX_ERRORS; e++)
                replay_once(bi->pending_errors.v[e]);
        }
    }
}

static const char *describe_hook(struct ann_value *a) { return ann_describe(a); }

struct ann_result *ann_annotate(struct fg_program *prog)
{
    result = SP_NEW(struct ann_result);
    result->program = prog;
    fg_describe_ann = describe_hook;
    ann_init_classes();
    scan_globals(prog);
    for (int i = 0; i < prog->modules.n; i++) {
        struct fg_module *m = prog->modules.v[i];
        if (!m->is_prelude && !m->is_native) /* the prelude has only defs, natives no code */
            ann_call_func(m->init, NULL, 0, m->init->graph->pos);
    }
    int before = sp_error_count();
    run_queue();
    explore_past_errors();
    report_pending_errors();
    if (sp_error_count() > before)
        return NULL;
    return result;
}
