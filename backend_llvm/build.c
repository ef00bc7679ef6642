/* build.c - the LLVM backend's entry point: builds the module, verifies
 * it, optimises it, writes the object file through a target machine for
 * the host, and links it with librpyrt.a using the system's C compiler
 * driver as the linker (cc, or $CC). No textual IR is produced on the way;
 * --emit=llvm writes the optimised module's IR as a side product.
 *
 * The verifier runs on every build (its cost is a few percent of code
 * generation): a module it rejects is an internal error, reported with
 * the verifier's message, and `make test` builds every program with it.
 * -O1..3 run LLVM's standard pipeline (PassManagerBuilder) at that level,
 * -O0 only the always-inliner (inline.c's fast paths).
 */
#include <errno.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Transforms/IPO.h>
#include <llvm-c/Transforms/PassManagerBuilder.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/rpyrt.h"
#include "internal.h"

struct lb_state lb;

LLVMValueRef lb_cint(LLVMTypeRef t, int64_t v) { return LLVMConstInt(t, (unsigned long long)v, 1); }

LLVMValueRef lb_intrinsic(const char *name, LLVMTypeRef *overload, int noverload)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    if (!id)
        sp_die("LLVM backend: no intrinsic %s", name);
    return LLVMGetIntrinsicDeclaration(lb.mod, id, overload, (size_t)noverload);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double t_last;
static void step(const char *what)
{
    double t = now_ms();
    if (lb.opts->verbose)
        fprintf(stderr, "rpy:   llvm %-8s %8.1f ms\n", what, t - t_last);
    t_last = t;
}

/* ---- types shared with the runtime, checked against rpyrt.h ---- */

static LLVMTypeRef named(const char *name, LLVMTypeRef *elems, unsigned n)
{
    LLVMTypeRef t = LLVMStructCreateNamed(lb.ctx, name);
    LLVMStructSetBody(t, elems, n, 0);
    return t;
}

static void check_layout(const char *what, LLVMTypeRef t, unsigned elem, size_t offset, size_t size)
{
    if (LLVMABISizeOfType(lb.td, t) != size || LLVMOffsetOfElement(lb.td, t, elem) != offset)
        sp_die("LLVM backend: the layout of %s differs from rpyrt.h's", what);
}

static void init_types(void)
{
    lb.i1 = LLVMInt1TypeInContext(lb.ctx);
    lb.i8 = LLVMInt8TypeInContext(lb.ctx);
    lb.i32 = LLVMInt32TypeInContext(lb.ctx);
    lb.i64 = LLVMInt64TypeInContext(lb.ctx);
    lb.f64 = LLVMDoubleTypeInContext(lb.ctx);
    lb.voidt = LLVMVoidTypeInContext(lb.ctx);
    lb.ptr = LLVMPointerType(lb.i8, 0);
    LLVMTypeRef P = lb.ptr, I = lb.i32;
    lb.hdr = named("rpy_hdr", (LLVMTypeRef[]){I, I}, 2);
    lb.ti_type = named("rpy_typeinfo", (LLVMTypeRef[]){I, I, I, I, P, P, P, P, P, P, P, I}, 12);
    lb.ci_type = named("rpy_classinfo", (LLVMTypeRef[]){P, I, P, P, P, P, P, P, P, P, P, P, P}, 13);
    lb.tb_type = named("rpy_tb_loc", (LLVMTypeRef[]){P, P, I}, 3);
    check_layout("struct rpy_hdr", lb.hdr, 1, offsetof(struct rpy_hdr, gcflags), sizeof(struct rpy_hdr));
    check_layout("struct rpy_typeinfo", lb.ti_type, 11, offsetof(struct rpy_typeinfo, flags), sizeof(struct rpy_typeinfo));
    check_layout("struct rpy_typeinfo", lb.ti_type, 4, offsetof(struct rpy_typeinfo, name), sizeof(struct rpy_typeinfo));
    check_layout("struct rpy_classinfo", lb.ci_type, 12, offsetof(struct rpy_classinfo, len), sizeof(struct rpy_classinfo));
    check_layout("struct rpy_classinfo", lb.ci_type, 2, offsetof(struct rpy_classinfo, str), sizeof(struct rpy_classinfo));
    check_layout("struct rpy_tb_loc", lb.tb_type, 2, offsetof(struct rpy_tb_loc, line), sizeof(struct rpy_tb_loc));
}

/* ---- target ---- */

static LLVMTargetMachineRef target_machine(int opt_level, char **triple)
{
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *err = NULL;
    if (LLVMGetTargetFromTriple(*triple, &target, &err)) {
        fprintf(stderr, "rpy: error: LLVM has no target for %s: %s\n", *triple, err);
        LLVMDisposeMessage(err);
        return NULL;
    }
    static const LLVMCodeGenOptLevel levels[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
                                                 LLVMCodeGenLevelAggressive};
    /* The generic CPU of the triple, as cc's default: binaries run on any
     * machine of the architecture. PIC: cc links position-independent
     * executables by default. */
    return LLVMCreateTargetMachine(target, *triple, "", "", levels[opt_level], LLVMRelocPIC, LLVMCodeModelDefault);
}

static void optimise(LLVMTargetMachineRef tm, int level)
{
    LLVMPassManagerRef mpm = LLVMCreatePassManager();
    LLVMAddAnalysisPasses(tm, mpm);
    if (level == 0) {
        LLVMAddAlwaysInlinerPass(mpm);
        LLVMRunPassManager(mpm, lb.mod);
        LLVMDisposePassManager(mpm);
        return;
    }
    LLVMPassManagerBuilderRef pmb = LLVMPassManagerBuilderCreate();
    LLVMPassManagerBuilderSetOptLevel(pmb, (unsigned)level);
    LLVMPassManagerBuilderUseInlinerWithThreshold(pmb, level >= 3 ? 275 : 225);
    LLVMPassManagerRef fpm = LLVMCreateFunctionPassManagerForModule(lb.mod);
    LLVMAddAnalysisPasses(tm, fpm);
    LLVMPassManagerBuilderPopulateFunctionPassManager(pmb, fpm);
    LLVMPassManagerBuilderPopulateModulePassManager(pmb, mpm);
    LLVMInitializeFunctionPassManager(fpm);
    for (LLVMValueRef f = LLVMGetFirstFunction(lb.mod); f; f = LLVMGetNextFunction(f))
        if (LLVMCountBasicBlocks(f))
            LLVMRunFunctionPassManager(fpm, f);
    LLVMFinalizeFunctionPassManager(fpm);
    LLVMRunPassManager(mpm, lb.mod);
    LLVMDisposePassManager(fpm);
    LLVMDisposePassManager(mpm);
    LLVMPassManagerBuilderDispose(pmb);
}

/* ---- linking ---- */

static int run(char *const argv[], bool verbose)
{
    if (verbose) {
        for (int i = 0; argv[i]; i++)
            fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
        fputc('\n', stderr);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "rpy: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool link_program(const char *obj, const struct backend_opts *o)
{
    const char *cc = getenv("CC");
    struct sp_vec argv = {0};
    sp_vec_push(&argv, (void *)(cc && *cc ? cc : "cc"));
    if (o->debug)
        sp_vec_push(&argv, "-g");
    /* a sanitized runtime needs its sanitizer's libraries at link time */
    const char *extra = getenv("RPY_CFLAGS_EXTRA");
    if (extra && *extra) {
        char *copy = sp_strdup(extra);
        for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
            sp_vec_push(&argv, tok);
    }
    sp_vec_push(&argv, "-o");
    sp_vec_push(&argv, (void *)o->output);
    sp_vec_push(&argv, (void *)obj);
    sp_vec_push(&argv, (void *)sp_fmt("%s/librpyrt.a", o->rt_libdir));
    sp_vec_push(&argv, "-lm");
    sp_vec_push(&argv, NULL);
    int rc = run((char *const *)argv.v, o->verbose);
    if (rc != 0) {
        fprintf(stderr, "rpy: error: linking failed (status %d)\n", rc);
        return false;
    }
    return true;
}

static const char *scratch_dir(const struct backend_opts *o)
{
    if (o->keep_dir) {
        mkdir(o->keep_dir, 0777);
        return o->keep_dir;
    }
    const char *tmp = getenv("TMPDIR");
    char *t = sp_fmt("%s/rpy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t)) {
        fprintf(stderr, "rpy: error: cannot make a temporary folder: %s\n", strerror(errno));
        return NULL;
    }
    return t;
}

static bool write_ll(const char *path)
{
    char *err = NULL;
    if (LLVMPrintModuleToFile(lb.mod, path, &err)) {
        fprintf(stderr, "rpy: error: cannot write %s: %s\n", path, err);
        LLVMDisposeMessage(err);
        return false;
    }
    return true;
}

/* ---- the module ---- */

static const char *main_file(struct rt_program *prog)
{
    for (int i = prog->entry.n - 1; i >= 0; i--) {
        struct fg_graph *g = prog->entry.v[i];
        if (g->pos.file)
            return g->pos.file;
    }
    return "program.py";
}

static void build_module(struct rt_program *prog)
{
    lb_debug_init(main_file(prog));
    lb_emit_data(prog);
    for (int i = 0; i < prog->graphs.n; i++)
        lb_emit_function(prog->graphs.v[i]);
    lb_emit_main(prog);
    lb_emit_data_late(prog);
    lb_debug_finish();
}

static bool emit(LLVMTargetMachineRef tm, const struct backend_opts *o)
{
    const char *dir = NULL, *obj = o->emit_obj;
    if (!obj) {
        dir = scratch_dir(o);
        if (!dir)
            return false;
        obj = sp_fmt("%s/program.o", dir);
    }
    char *err = NULL;
    if (LLVMTargetMachineEmitToFile(tm, lb.mod, (char *)obj, LLVMObjectFile, &err)) {
        fprintf(stderr, "rpy: error: LLVM could not write %s: %s\n", obj, err);
        LLVMDisposeMessage(err);
        return false;
    }
    step("codegen");
    bool ok = link_program(obj, o);
    step("link");
    if (dir && !o->keep_dir) {
        unlink(obj);
        rmdir(dir);
    }
    return ok;
}

static bool build_llvm(struct rt_program *prog, const struct backend_opts *o)
{
    memset(&lb, 0, sizeof lb);
    lb.prog = prog;
    lb.opts = o;
    t_last = now_ms();
    if (!lb_abi_load(sp_fmt("%s/rpyrt.h", o->rt_incdir)))
        return false;
    const char *extra = getenv("RPY_CFLAGS_EXTRA");
    lb.inline_fast_paths = !(extra && strstr(extra, "sanitize=address"));
    char *triple = NULL;
    LLVMTargetMachineRef tm = target_machine(o->opt_level, &triple);
    if (!tm)
        return false;
    lb.ctx = LLVMContextCreate();
    lb.mod = LLVMModuleCreateWithNameInContext("program", lb.ctx);
    lb.b = LLVMCreateBuilderInContext(lb.ctx);
    LLVMSetTarget(lb.mod, triple);
    lb.td = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(lb.mod, lb.td);
    lb_types_reset();
    init_types();
    step("setup");
    build_module(prog);
    step("build");

    bool ok = true;
    char *msg = NULL;
    if (LLVMVerifyModule(lb.mod, LLVMReturnStatusAction, &msg)) {
        fprintf(stderr, "rpy: internal error: the LLVM verifier rejects the module:\n%s", msg);
        if (o->emit_ll && write_ll(o->emit_ll))
            fprintf(stderr, "rpy: the unoptimised module is in %s\n", o->emit_ll);
        ok = false;
    }
    LLVMDisposeMessage(msg);
    step("verify");
    if (ok) {
        optimise(tm, o->opt_level);
        step("optimise");
        if (o->emit_ll)
            ok = write_ll(o->emit_ll);
    }
    if (ok)
        ok = emit(tm, o);

    lb_inline_finish();
    if (lb.di)
        LLVMDisposeDIBuilder(lb.di);
    LLVMDisposeBuilder(lb.b);
    LLVMDisposeModule(lb.mod);
    LLVMDisposeTargetData(lb.td);
    LLVMContextDispose(lb.ctx);
    LLVMDisposeTargetMachine(tm);
    LLVMDisposeMessage(triple);
    return ok;
}

const struct backend lb_backend_llvm = {"llvm", build_llvm};
