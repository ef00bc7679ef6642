/* build_import.c - `import m`, `import a.b as x`, `from m import x, y`.
 *
 * Requires builder.c (build_module builds a module's graphs) and
 * build_state.c. A module is found on the search path (the entry file's
 * folder, then -I folders, then the standard modules written in RPy) as
 * NAME.py or NAME/__init__.py (a package; `a.b` is a/b.py or
 * a/b/__init__.py); a few standard modules are native (natives.c): the
 * compiler implements them and they have no code. Each module is built
 * once, when the first import of it is met, so its classes and functions
 * are known when the importer's code is built (an except clause may name
 * an imported class). Module code runs at start-up, imported modules
 * first, in the order their imports complete (LANGUAGE.md: "imports
 * first, as in Python").
 *
 * `import a.b` binds a to module a (a constant), whose attribute b is its
 * submodule; `from m import x` binds x to m's x at the import: a constant
 * when m binds x once to a def or class (or, for a native module, when x
 * is a function or constant of it), else the value of the global m.x.
 */
#include "builder.h"

#include <string.h>
#include <unistd.h>

static struct sp_vec search_dirs, in_progress;
static const char *stdlib_dir;

void fg_add_search_dir(const char *dir) { sp_vec_push(&search_dirs, (void *)sp_strdup(dir)); }
void fg_set_stdlib_dir(const char *dir) { stdlib_dir = sp_strdup(dir); }
void b_set_entry_dir(const char *dir) { sp_vec_insert(&search_dirs, 0, (void *)sp_strdup(dir)); }

struct fg_module *fg_find_module(struct fg_program *prog, const char *name)
{
    name = sp_intern(name);
    for (int i = 0; i < prog->modules.n; i++)
        if (((struct fg_module *)prog->modules.v[i])->name == name)
            return prog->modules.v[i];
    return NULL;
}

/* The file of module `dotted` in dir: a/b.py or a/b/__init__.py. */
static const char *module_file(const char *dir, const char *dotted)
{
    char *rel = sp_strdup(dotted);
    for (char *p = rel; *p; p++)
        if (*p == '.')
            *p = '/';
    /* the entry file's folder is "." when it was named without one: its
     * modules are named the same way in messages (helper.py, not ./helper.py) */
    const char *py = strcmp(dir, ".") ? sp_fmt("%s/%s.py", dir, rel) : sp_fmt("%s.py", rel);
    const char *pkg = strcmp(dir, ".") ? sp_fmt("%s/%s/__init__.py", dir, rel) : sp_fmt("%s/__init__.py", rel);
    if (access(py, R_OK) == 0)
        return py;
    if (access(pkg, R_OK) == 0)
        return pkg;
    return NULL;
}

static const char *find_file(const char *dotted, bool *stdlib)
{
    *stdlib = false;
    for (int i = 0; i < search_dirs.n; i++) {
        const char *f = module_file(search_dirs.v[i], dotted);
        if (f)
            return f;
    }
    if (stdlib_dir) {
        const char *f = module_file(stdlib_dir, dotted);
        *stdlib = f != NULL;
        return f;
    }
    return NULL;
}

static struct fg_module *native_module(struct fg_program *prog, const char *name)
{
    struct fg_module *m = SP_NEW(struct fg_module);
    m->name = sp_intern(name);
    m->is_native = true;
    sp_vec_push(&prog->modules, m);
    return m;
}

/* The module `dotted`, built if needed; NULL after an error at pos. */
static struct fg_module *import_module(struct fstate *fs, const char *dotted, struct srcpos pos)
{
    struct fg_program *prog = fs->bp->prog;
    struct fg_module *m = fg_find_module(prog, dotted);
    if (m)
        return m;
    for (int i = 0; i < in_progress.n; i++)
        if (!strcmp(in_progress.v[i], dotted)) {
            sp_error(pos, "circular import of module '%s' is not supported", dotted);
            return NULL;
        }
    bool stdlib;
    const char *file = find_file(dotted, &stdlib);
    if (!file && fg_is_native_module(dotted))
        return native_module(prog, dotted);
    if (!file) {
        sp_error(pos, "No module named '%s'", dotted);
        return NULL;
    }
    /* a package first: importing a.b imports a */
    const char *dot = strrchr(dotted, '.');
    struct fg_module *parent = NULL;
    if (dot && !(parent = import_module(fs, sp_strndup(dotted, (size_t)(dot - dotted)), pos)))
        return NULL;
    struct ast_node *ast = ast_parse_file(file);
    if (!ast)
        return NULL;
    sp_vec_push(&in_progress, (void *)sp_intern(dotted));
    m = b_build_module(prog, ast, dotted, file, stdlib);
    in_progress.n--;
    if (parent)
        sp_vec_push(&parent->submodules, m);
    return m;
}

static struct fg_value *module_const(struct fg_module *m, struct srcpos pos)
{
    return b_at(fg_const_obj(FG_C_MODULE, m), pos);
}

static struct fg_module *submodule(struct fg_module *m, const char *name)
{
    const char *full = sp_intern(sp_fmt("%s.%s", m->name, name));
    for (int i = 0; i < m->submodules.n; i++)
        if (((struct fg_module *)m->submodules.v[i])->name == full)
            return m->submodules.v[i];
    return NULL;
}

/* The value `from m import name` binds, emitted into the current block. */
static struct fg_value *imported_value(struct fstate *fs, struct fg_module *m, const char *name, struct srcpos pos)
{
    struct fg_module *sub = submodule(m, name);
    if (sub)
        return module_const(sub, pos);
    if (m->is_native) {
        struct fg_value *c = fg_native_attr_in(fs->bp->prog, m, name);
        if (!c)
            sp_error(pos, "cannot import name '%s' from '%s'", name, m->name);
        return c ? b_at(c, pos) : b_none(pos);
    }
    struct bprog *mb = m->builder;
    if (!fg_ptrmap_has(&mb->globalset, name)) {
        sp_error(pos, "cannot import name '%s' from '%s' (%s)", name, m->name, m->file);
        return b_none(pos);
    }
    struct fg_value *c = b_module_constant(mb, name);
    if (c)
        return b_at(c, pos);
    return b_emit(fs, OP_GETGLOBAL, pos, 2, module_const(m, pos), b_name_const(name, pos));
}

/* A class the importer may name in except clauses by this name. */
static void note_class(struct fstate *fs, const char *name, struct fg_value *v)
{
    if (v->kind == FG_CONST && v->ckind == FG_C_CLASS && (intptr_t)fg_ptrmap_get(&fs->bp->nbindings, name) == 1)
        fg_ptrmap_put(&fs->bp->classnames, name, v->obj);
}

void b_import(struct fstate *fs, struct ast_node *s)
{
    for (int i = 0; i < s->names.n; i++) {
        struct ast_node *alias = s->names.v[i];
        struct fg_module *m = import_module(fs, alias->name, alias->pos);
        const char *dot = strchr(alias->name, '.');
        const char *top = dot ? sp_intern_n(alias->name, (size_t)(dot - alias->name)) : alias->name;
        if (!m) { /* reported; the name is bound all the same, so its uses are not reported again */
            if (!fs->is_module)
                b_store_name(fs, alias->asname ? alias->asname : top, alias->pos, b_none(alias->pos));
            continue;
        }
        if (alias->asname) { /* import a.b as x: x is a.b */
            b_store_name(fs, alias->asname, alias->pos, module_const(m, alias->pos));
            continue;
        }
        b_store_name(fs, top, alias->pos, module_const(fg_find_module(fs->bp->prog, top), alias->pos));
    }
}

void b_import_from(struct fstate *fs, struct ast_node *s)
{
    if (s->level > 0) {
        sp_error(s->pos, "relative imports are not supported yet: name the module from the program's folder");
        return;
    }
    struct fg_module *m = import_module(fs, s->name, s->pos);
    if (!m) { /* reported; the names are bound all the same, so their uses are not reported again */
        for (int i = 0; i < s->names.n && !fs->is_module; i++) {
            struct ast_node *alias = s->names.v[i];
            if (strcmp(alias->name, "*"))
                b_store_name(fs, alias->asname ? alias->asname : alias->name, alias->pos, b_none(alias->pos));
        }
        return;
    }
    for (int i = 0; i < s->names.n; i++) {
        struct ast_node *alias = s->names.v[i];
        if (!strcmp(alias->name, "*")) {
            sp_error(alias->pos, "'from %s import *' is not supported: name what you import", s->name);
            fs->bp->star_import = true;
            continue;
        }
        /* a submodule of a package may need importing itself (if there
         * is none, the error is that the package has no such name) */
        const char *subname = sp_fmt("%s.%s", m->name, alias->name);
        bool stdlib;
        if (!m->is_native && !fg_ptrmap_has(&((struct bprog *)m->builder)->globalset, alias->name) &&
            (fg_find_module(fs->bp->prog, subname) || find_file(subname, &stdlib)))
            import_module(fs, subname, alias->pos);
        const char *bound = alias->asname ? alias->asname : alias->name;
        struct fg_value *v = imported_value(fs, m, alias->name, alias->pos);
        note_class(fs, bound, v);
        b_store_name(fs, bound, alias->pos, v);
    }
}

/* `m.C` in an except clause, m an imported module: its class C. */
struct fg_class *b_module_class(struct fstate *fs, struct ast_node *e)
{
    if (e->kind != AST_ATTRIBUTE || e->value->kind != AST_NAME)
        return NULL;
    struct fg_value *c = b_module_constant(fs->bp, e->value->name);
    if (!c || c->ckind != FG_C_MODULE)
        return NULL;
    struct fg_module *m = c->obj;
    if (m->is_native)
        return NULL;
    struct bprog *mb = m->builder;
    return fg_ptrmap_get(&mb->classnames, e->name);
}
