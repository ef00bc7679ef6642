/* backend_llvm.h - the LLVM backend's one public header.
 *
 * The second implementation of `struct backend` (backend_c/backend.h): it
 * reads the same final low-level graphs, type tables and prebuilt
 * constants as the C emitter, builds an LLVM module through the LLVM-C
 * API, verifies it, optimises it with LLVM's own pipeline (-O1..3),
 * writes the object file through a target machine for the host and links
 * it with the same librpyrt.a. A program must print the same through
 * both backends.
 */
#ifndef RPY_BACKEND_LLVM_H
#define RPY_BACKEND_LLVM_H

#include "../backend_c/backend.h"

extern const struct backend lb_backend_llvm;

#endif
