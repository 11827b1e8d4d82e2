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
// macros and a caller-owned arena.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_C_EMITCBUNDLE_H
#define QUANTOPT_TARGET_C_EMITCBUNDLE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir::quantopt {

/// What the C wrapper needs to know about the model's boundary; recorded
/// before lowering, while the quantized types are still visible.
struct BundleInterface {
  /// One per-tensor quantized int8 input or output (batch included).
  struct Tensor {
    SmallVector<int64_t> shape;
    double scale = 1.0;
    int64_t zeroPoint = 0;
    int64_t storageMin = -128, storageMax = 127;

    /// Number of elements (product of `shape`).
    int64_t getNumElements() const;
  };
  /// In function-argument order, resp. function-result order. The kernel
  /// takes the inputs, then the outputs (out-params), then arena buffers.
  SmallVector<Tensor, 1> inputs, outputs;
};

/// Reads the boundary of `func` (a FunctionOpInterface op whose arguments and
/// results are statically shaped tensors of per-tensor
/// `!quant.uniform<i8:f32, ...>`). Emits an error on `func` otherwise.
FailureOr<BundleInterface> getBundleInterface(Operation *func);

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
