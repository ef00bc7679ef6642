/* main.c - the `rpy` command.
 *
 * translate() below is the whole architecture in one place: each stage
 * runs in order, with checkgraph after every stage that produces graphs
 * and an optional dump. The rest of this file parses the command line and
 * finds the runtime relative to the executable, so `rpy` works from any
 * directory, from the checkout, and after `make install`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <dlfcn.h>
#include <unistd.h>

#include "../backend_c/backend.h"
#include "../frontend/ast.h"
#include "../transforms/transforms.h"

#define RPY_VERSION "0.1.0"

/* Where translate() stops. STAGE_CHECKED (rpy check) is after the
 * annotator, like STAGE_ANNOTATED, but dumps nothing. */
enum stage { STAGE_PARSE, STAGE_FLOW, STAGE_ANNOTATED, STAGE_CHECKED, STAGE_RTYPED, STAGE_FINAL, STAGE_BINARY };

struct options {
    const char *command;
    const char *file;
    const char *output;
    const char *keep_c;
    bool llvm;              /* --backend=llvm (else c) */
    bool emit_c, emit_ll, emit_obj; /* --emit=c,llvm,obj: also write OUT.c, OUT.ll, OUT.o */
    const char *func;       /* flowgraph --func */
    const char *format;     /* text, dot, svg */
    enum stage stage;       /* flowgraph --stage */
    int opt_level;
    bool verbose;
    bool debug;
    bool json;              /* check --json */
    bool stackless;         /* --stackless (also automatic: transforms/stackless.c) */
    int run_argc;           /* rpy run FILE ARGS... */
    char **run_argv;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double stage_start;
static void stage_done(const struct options *o, const char *name)
{
    double t = now();
    if (o->verbose)
        fprintf(stderr, "rpy: %-10s %8.1f ms\n", name, (t - stage_start) * 1000.0);
    stage_start = t;
}

/* ---- dumps ---- */

static void collect_graphs(struct fg_program *prog, struct ann_result *ann, const char *func, struct sp_vec *out)
{
    if (ann) {
        for (int i = 0; i < ann->graphs.n; i++)
            sp_vec_push(out, ann->graphs.v[i]);
    } else {
        /* the prelude's graphs show once the program uses them */
        for (int i = 0; i < prog->allfuncs.n; i++) {
            struct fg_func *f = prog->allfuncs.v[i];
            if (!f->module->is_prelude)
                sp_vec_push(out, f->graph);
        }
    }
    if (!func)
        return;
    int n = 0;
    for (int i = 0; i < out->n; i++) {
        struct fg_graph *g = out->v[i];
        if (strcmp(g->name, func) == 0)
            out->v[n++] = g;
    }
    out->n = n;
}

static int dump(const struct options *o, struct fg_program *prog, struct ann_result *ann)
{
    struct sp_vec graphs = {0};
    collect_graphs(prog, ann, o->func, &graphs);
    if (graphs.n == 0) {
        fprintf(stderr, "rpy: error: no function named '%s'%s\n", o->func ? o->func : "",
                ann ? " is reachable from the entry point" : "");
        return 1;
    }
    if (strcmp(o->format, "text") == 0) {
        for (int i = 0; i < graphs.n; i++) {
            if (i)
                fputc('\n', stdout);
            fg_dump_text(stdout, graphs.v[i]);
        }
        return 0;
    }
    if (strcmp(o->format, "dot") == 0) {
        fg_dump_dot(stdout, (struct fg_graph **)graphs.v, graphs.n);
        return 0;
    }
    /* svg: through Graphviz's dot, when installed. */
    fflush(stdout);
    FILE *p = popen("dot -Tsvg", "w");
    if (!p) {
        fprintf(stderr, "rpy: error: cannot run dot (install graphviz)\n");
        return 1;
    }
    fg_dump_dot(p, (struct fg_graph **)graphs.v, graphs.n);
    int rc = pclose(p);
    if (rc != 0) {
        fprintf(stderr, "rpy: error: dot failed (is graphviz installed?)\n");
        return 1;
    }
    return 0;
}

static void check_all(struct sp_vec *graphs, const char *stage)
{
    for (int i = 0; i < graphs->n; i++)
        fg_checkgraph(graphs->v[i], stage);
}

/* ---- the runtime's location ---- */

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool find_runtime(struct backend_opts *bo)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    *slash = 0;
    /* (library dir, header dir) relative to the executable's folder:
     * the checkout (./rpy), a variant build (build-asan/rpy), an install. */
    const char *layouts[][2] = {
        {"%s/build", "%s/runtime"},
        {"%s", "%s/../runtime"},
        {"%s/../lib/rpy", "%s/../include/rpy"},
    };
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const char *lib = sp_fmt(layouts[i][0], exe), *inc = sp_fmt(layouts[i][1], exe);
        if (file_exists(sp_fmt("%s/librpyrt.a", lib)) && file_exists(sp_fmt("%s/rpyrt.h", inc))) {
            bo->rt_libdir = lib;
            bo->rt_incdir = inc;
            return true;
        }
    }
    return false;
}

/* The LLVM backend is a plugin beside the runtime (librpy-llvm.so, linked
 * with libLLVM), loaded only for --backend=llvm: mapping libLLVM costs
 * every other run of rpy (check, the C backend) ~35 ms and ~50 MB. It
 * uses the compiler's own functions, which rpy exports (-rdynamic). */
static const struct backend *load_llvm_backend(const struct backend_opts *bo)
{
    const char *path = sp_fmt("%s/librpy-llvm.so", bo->rt_libdir);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "rpy: error: cannot load the LLVM backend: %s\n", dlerror());
        return NULL;
    }
    const struct backend *b = dlsym(h, "lb_backend_llvm");
    if (!b)
        fprintf(stderr, "rpy: error: %s has no lb_backend_llvm\n", path);
    return b;
}

/* The standard modules written in RPy, beside the runtime: lib/stdlib in
 * the checkout, PREFIX/lib/rpy/stdlib once installed. */
static void find_stdlib(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = 0;
    *strrchr(exe, '/') = 0;
    const char *dirs[] = {"%s/lib/stdlib", "%s/../lib/stdlib", "%s/../lib/rpy/stdlib"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        const char *d = sp_fmt(dirs[i], exe);
        if (file_exists(d)) {
            fg_set_stdlib_dir(d);
            return;
        }
    }
}

/* --emit: the side products, beside the executable (rpy run: beside the
 * source). The C source is written here for either backend. */
static const char *default_output(const char *file);
static bool emit_extras(const struct options *o, struct rt_program *ll, struct backend_opts *bo)
{
    const char *base = strcmp(o->command, "run") == 0 ? default_output(o->file) : o->output;
    if (o->emit_ll)
        bo->emit_ll = sp_fmt("%s.ll", base);
    if (o->emit_obj)
        bo->emit_obj = sp_fmt("%s.o", base);
    if ((o->emit_ll || o->emit_obj) && !o->llvm) {
        fprintf(stderr, "rpy: error: --emit=llvm and --emit=obj need --backend=llvm\n");
        return false;
    }
    if (!o->emit_c)
        return true;
    const char *cfile = sp_fmt("%s.c", base);
    FILE *f = fopen(cfile, "w");
    if (!f) {
        fprintf(stderr, "rpy: error: cannot write %s: %s\n", cfile, strerror(errno));
        return false;
    }
    cb_emit_program(f, ll);
    fclose(f);
    return true;
}

/* ---- the pipeline ---- */

static int translate(const struct options *o)
{
    stage_start = now();
    struct ast_node *module = ast_parse_file(o->file);
    if (!module)
        return 1;
    stage_done(o, "parse");
    if (o->stage == STAGE_PARSE) {
        ast_dump(stdout, module);
        return 0;
    }

    find_stdlib();
    struct fg_program *prog = fg_build_program(module, o->file);
    if (sp_error_count())
        return 1;
    stage_done(o, "flowgraph");
    if (o->stage == STAGE_FLOW)
        return dump(o, prog, NULL);

    struct ann_result *ann = ann_annotate(prog);
    if (!ann || sp_error_count())
        return 1;
    check_all(&ann->graphs, "annotator");
    stage_done(o, "annotate");
    if (o->stage == STAGE_ANNOTATED)
        return dump(o, prog, ann);
    if (o->stage == STAGE_CHECKED)
        return 0;

    struct rt_program *ll = rt_specialize(ann);
    if (!ll || sp_error_count())
        return 1;
    check_all(&ll->graphs, "rtyper");
    stage_done(o, "rtype");
    if (o->stage == STAGE_RTYPED)
        return dump(o, prog, ann);

    ll->stackless = o->stackless;
    tf_run_all(ll);
    check_all(&ll->graphs, "transforms");
    stage_done(o, "transforms");
    if (o->stage == STAGE_FINAL)
        return dump(o, prog, ann);

    struct backend_opts bo = {0};
    if (!find_runtime(&bo)) {
        fprintf(stderr, "rpy: error: cannot find the runtime (librpyrt.a and rpyrt.h) next to the rpy executable\n");
        return 1;
    }
    bo.output = o->output;
    bo.keep_dir = o->keep_c;
    bo.opt_level = o->opt_level;
    bo.debug = o->debug;
    bo.verbose = o->verbose;
    if (!emit_extras(o, ll, &bo))
        return 1;
    const struct backend *be = o->llvm ? load_llvm_backend(&bo) : &cb_backend_c;
    if (!be || !be->build(ll, &bo))
        return 1;
    stage_done(o, "backend");
    return 0;
}

/* ---- command line ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rpy COMMAND [OPTIONS] FILE\n"
            "\n"
            "Compiles RPy (a statically typed subset of Python 3) to native executables.\n"
            "\n"
            "commands:\n"
            "  build FILE [-o OUT] [-O0..3] [-g] [-I DIR] [--stackless] [--keep-c DIR] [-v]\n"
            "        [--backend=c|llvm] [--emit=c,llvm,obj]\n"
            "                    compile FILE to an executable (default: FILE without .py)\n"
            "  run FILE [ARGS]   compile to a temporary executable and run it\n"
            "  check FILE [-I DIR] [--json]\n"
            "                    report FILE's errors without compiling it (parse, flow\n"
            "                    graphs, type inference); exit 1 if there are any, else 0\n"
            "  flowgraph FILE [--func NAME] [--stage flow|annotated|rtyped|final]\n"
            "                 [--format text|dot|svg]\n"
            "                    dump the flow graphs after a stage\n"
            "  parse FILE        dump the syntax tree\n"
            "  --help            this text\n"
            "  --version         the version\n"
            "\n"
            "options:\n"
            "  -o OUT            the executable to write\n"
            "  -I DIR            look for imported modules in DIR too (after FILE's folder)\n"
            "  -O0 .. -O3        optimisation level of the generated code (default -O2)\n"
            "  -g                debug info: gdb shows .py lines\n"
            "  --keep-c DIR      keep the generated C in DIR\n"
            "  -v                print the time each stage takes\n"
            "  --stackless       coroutine support (automatic when the program imports\n"
            "                    rpy.greenlet, rpy.tasklets or rpy.thread): calls that can switch\n"
            "                    become resumable; code that cannot switch is unchanged\n"
            "  --backend=c|llvm  the code generator (default c: see README.md, Backends)\n"
            "  --emit=KINDS      also write OUT.c (c), OUT.ll (llvm), OUT.o (obj), e.g.\n"
            "                    --emit=llvm,obj (llvm and obj need --backend=llvm)\n"
            "  --json            (check) the errors as JSON Lines on stdout, one object per\n"
            "                    error: file, line, col, severity, message, notes\n"
            "                    (an array of objects with file, line, col, message)\n"
            "\n"
            "Errors are printed on stderr as FILE:LINE:COL: error: MESSAGE, the source\n"
            "line and a caret; columns count bytes from 1.\n");
}

static bool parse_stage(const char *s, enum stage *out)
{
    static const struct {
        const char *name;
        enum stage stage;
    } stages[] = {{"flow", STAGE_FLOW}, {"annotated", STAGE_ANNOTATED}, {"rtyped", STAGE_RTYPED}, {"final", STAGE_FINAL}};
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp(s, stages[i].name) == 0) {
            *out = stages[i].stage;
            return true;
        }
    return false;
}

static const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "rpy: error: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

static int parse_args(int argc, char **argv, struct options *o)
{
    o->opt_level = 2;
    o->format = "text";
    o->stage = STAGE_BINARY;
    o->command = argv[1];
    if (strcmp(o->command, "flowgraph") == 0)
        o->stage = STAGE_FINAL;
    else if (strcmp(o->command, "parse") == 0)
        o->stage = STAGE_PARSE;
    else if (strcmp(o->command, "check") == 0)
        o->stage = STAGE_CHECKED;
    else if (strcmp(o->command, "build") != 0 && strcmp(o->command, "run") != 0) {
        fprintf(stderr, "rpy: error: unknown command '%s' (try rpy --help)\n", o->command);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (o->file && strcmp(o->command, "run") == 0) {
            o->run_argc = argc - i;
            o->run_argv = argv + i;
            break;
        }
        if (strcmp(a, "-o") == 0)
            o->output = need_value(argc, argv, &i);
        else if (strncmp(a, "-O", 2) == 0 && a[2] >= '0' && a[2] <= '3' && !a[3])
            o->opt_level = a[2] - '0';
        else if (strcmp(a, "-g") == 0)
            o->debug = true;
        else if (strcmp(a, "-v") == 0)
            o->verbose = true;
        else if (strcmp(a, "--json") == 0)
            o->json = true;
        else if (strcmp(a, "--stackless") == 0)
            o->stackless = true;
        else if (strncmp(a, "--backend", 9) == 0 && (a[9] == '=' || !a[9])) {
            const char *v = a[9] ? a + 10 : need_value(argc, argv, &i);
            if (strcmp(v, "c") && strcmp(v, "llvm")) {
                fprintf(stderr, "rpy: error: --backend must be c or llvm\n");
                return 2;
            }
            o->llvm = strcmp(v, "llvm") == 0;
        } else if (strncmp(a, "--emit", 6) == 0 && (a[6] == '=' || !a[6])) {
            char *v = sp_strdup(a[6] ? a + 7 : need_value(argc, argv, &i));
            for (char *k = strtok(v, ","); k; k = strtok(NULL, ",")) {
                if (!strcmp(k, "c"))
                    o->emit_c = true;
                else if (!strcmp(k, "llvm"))
                    o->emit_ll = true;
                else if (!strcmp(k, "obj"))
                    o->emit_obj = true;
                else {
                    fprintf(stderr, "rpy: error: --emit takes c, llvm or obj (comma-separated)\n");
                    return 2;
                }
            }
        } else if (strcmp(a, "--keep-c") == 0)
            o->keep_c = need_value(argc, argv, &i);
        else if (strcmp(a, "-I") == 0)
            fg_add_search_dir(need_value(argc, argv, &i));
        else if (strncmp(a, "-I", 2) == 0)
            fg_add_search_dir(a + 2);
        else if (strcmp(a, "--func") == 0)
            o->func = need_value(argc, argv, &i);
        else if (strcmp(a, "--format") == 0) {
            o->format = need_value(argc, argv, &i);
            if (strcmp(o->format, "text") && strcmp(o->format, "dot") && strcmp(o->format, "svg")) {
                fprintf(stderr, "rpy: error: --format must be text, dot or svg\n");
                return 2;
            }
        } else if (strcmp(a, "--stage") == 0) {
            if (!parse_stage(need_value(argc, argv, &i), &o->stage)) {
                fprintf(stderr, "rpy: error: --stage must be flow, annotated, rtyped or final\n");
                return 2;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "rpy: error: unknown option '%s' (try rpy --help)\n", a);
            return 2;
        } else if (!o->file)
            o->file = a;
        else {
            fprintf(stderr, "rpy: error: more than one input file\n");
            return 2;
        }
    }
    if (o->json && o->stage != STAGE_CHECKED) {
        fprintf(stderr, "rpy: error: --json is an option of rpy check only\n");
        return 2;
    }
    if (!o->file) {
        fprintf(stderr, "rpy: error: no input file (try rpy --help)\n");
        return 2;
    }
    return 0;
}

static int run_child(const char *path, char **argv)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "rpy: error: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        execv(path, argv);
        fprintf(stderr, "rpy: error: cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const char *default_output(const char *file)
{
    size_t n = strlen(file);
    if (n > 3 && strcmp(file + n - 3, ".py") == 0)
        return sp_strndup(file, n - 3);
    return sp_fmt("%s.out", file);
}

/* rpy run: build into a temporary folder, run with the given arguments,
 * clean up, and exit with the program's status (128+N for a signal, as a
 * shell reports it). */
static int run_program(struct options *o)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = sp_fmt("%s/rpy-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "rpy: error: cannot make a temporary folder: %s\n", strerror(errno));
        return 1;
    }
    o->output = sp_fmt("%s/program", dir);
    int rc = translate(o);
    if (rc == 0) {
        char **argv = sp_alloc(sizeof(char *) * (size_t)(o->run_argc + 2));
        argv[0] = (char *)o->file;
        for (int i = 0; i < o->run_argc; i++)
            argv[i + 1] = o->run_argv[i];
        rc = run_child(o->output, argv);
    }
    unlink(o->output);
    rmdir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("rpy %s\n", RPY_VERSION);
        return 0;
    }
    struct options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    if (strcmp(o.command, "run") == 0)
        return run_program(&o);
    if (o.stage == STAGE_CHECKED) {
        sp_diag_set_json(o.json);
        rc = translate(&o);
        sp_diag_flush();
        return rc;
    }
    if (!o.output)
        o.output = default_output(o.file);
    return translate(&o);
}
