/* debug.c - DWARF line information through LLVM's DIBuilder (-g).
 *
 * What the C backend gets from #line directives: every instruction of a
 * graph's function carries the .py file and line of the op it comes from,
 * so gdb shows and steps through Python lines, and backtraces name the
 * .py file. Each graph is a DISubprogram in the file of its def; an op
 * from another file (inlined prelude code keeps its own positions) is
 * placed in a lexical block of that file. An op without a position keeps
 * the previous op's, as a missing #line does.
 *
 * Without -g every function here returns at once.
 */
#include <string.h>
#include <unistd.h>

#include "internal.h"

static LLVMMetadataRef cu, cu_file, sub_type;
static LLVMMetadataRef cur_sp, cur_scope; /* the function's subprogram; the scope of its current file */
static const char *cur_file, *sp_file;
static struct lb_map files; /* file name -> DIFile */

static LLVMMetadataRef file_of(const char *name)
{
    if (!name)
        name = "?";
    LLVMMetadataRef f = lb_map_get(&files, name, strlen(name));
    if (f)
        return f;
    char cwd[4096];
    const char *dir = getcwd(cwd, sizeof cwd) ? cwd : ".";
    f = LLVMDIBuilderCreateFile(lb.di, name, strlen(name), dir, strlen(dir));
    lb_map_put(&files, name, strlen(name), f);
    return f;
}

void lb_debug_init(const char *mainfile)
{
    if (!lb.opts->debug)
        return;
    lb.di = LLVMCreateDIBuilder(lb.mod);
    cu_file = file_of(mainfile);
    const char *producer = "rpy (LLVM backend)";
    /* DW_LANG_C: gdb knows it well; the file names say it is Python */
    cu = LLVMDIBuilderCreateCompileUnit(lb.di, LLVMDWARFSourceLanguageC99, cu_file, producer, strlen(producer),
                                        lb.opts->opt_level > 0, "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0,
                                        "", 0, "", 0);
    sub_type = LLVMDIBuilderCreateSubroutineType(lb.di, cu_file, NULL, 0, LLVMDIFlagZero);
    LLVMAddModuleFlag(lb.mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
                      LLVMValueAsMetadata(LLVMConstInt(lb.i32, LLVMDebugMetadataVersion(), 0)));
    LLVMAddModuleFlag(lb.mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(lb.i32, 4, 0)));
}

void lb_debug_function(struct fg_graph *g, LLVMValueRef fn)
{
    if (!lb.di)
        return;
    sp_file = g->pos.file ? g->pos.file : NULL;
    LLVMMetadataRef file = sp_file ? file_of(sp_file) : cu_file;
    size_t n;
    const char *linkage = LLVMGetValueName2(fn, &n);
    unsigned line = g->pos.line > 0 ? (unsigned)g->pos.line : 0;
    cur_sp = LLVMDIBuilderCreateFunction(lb.di, file, g->name, strlen(g->name), linkage, n, file, line, sub_type, 1, 1,
                                         line, LLVMDIFlagZero, lb.opts->opt_level > 0);
    LLVMSetSubprogram(fn, cur_sp);
    cur_scope = cur_sp;
    cur_file = sp_file;
    LLVMSetCurrentDebugLocation2(lb.b, LLVMDIBuilderCreateDebugLocation(lb.ctx, line, 0, cur_sp, NULL));
}

void lb_debug_position(struct srcpos pos)
{
    if (!lb.di || pos.line <= 0)
        return;
    if (pos.file && pos.file != cur_file && (!cur_file || strcmp(pos.file, cur_file) != 0)) {
        cur_file = pos.file;
        bool own = sp_file && strcmp(pos.file, sp_file) == 0;
        cur_scope = own ? cur_sp : LLVMDIBuilderCreateLexicalBlockFile(lb.di, cur_sp, file_of(pos.file), 0);
    }
    /* no column: a line is one stop for gdb's `step`, as with #line */
    LLVMSetCurrentDebugLocation2(lb.b, LLVMDIBuilderCreateDebugLocation(lb.ctx, (unsigned)pos.line, 0, cur_scope, NULL));
}

void lb_debug_finish(void)
{
    if (lb.di)
        LLVMDIBuilderFinalize(lb.di);
}
