//===- EmitCBundle.h - Emit a model as a C source/header pair ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Turns a module lowered to the EmitC dialect (one kernel function taking
// its inputs, outputs and planned arena buffers) into NAME.c and NAME.h with
// the API of docs/GeneratedAPI.md: NAME_run (float), NAME_run_int8, size
// macros and a caller-owned arena. The boundary (BundleInterface) and the
// header writer are shared with the object backend (BundleHeader.h).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_C_EMITCBUNDLE_H
#define QUANTOPT_TARGET_C_EMITCBUNDLE_H

#include "quantopt/Target/C/BundleHeader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir::quantopt {

/// Writes NAME.c (translated kernel + wrapper) and NAME.h for the EmitC
/// module `emitcModule`, whose `emitc.func @kernelName` is the model. The
/// module is not modified. `name` must be a C identifier; it prefixes every
/// symbol and macro. The source includes the header as `headerFileName`
/// (default "NAME.h"; pass the real file name when it differs, e.g. with
/// --name). Emits errors on the module's ops and returns failure if the
/// kernel does not match `iface` or cannot be translated.
LogicalResult emitCBundle(ModuleOp emitcModule, StringRef kernelName,
                          const BundleInterface &iface, StringRef name,
                          raw_ostream &cOut, raw_ostream &hOut,
                          StringRef headerFileName = {});

} // namespace mlir::quantopt

#endif // QUANTOPT_TARGET_C_EMITCBUNDLE_H
