//===- ImportONNX.h - Import ONNX models into the qnn dialect -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Translates an ONNX ModelProto (opset 13 and later, static shapes) into a
// module holding one `func.func @main` of qnn ops, arith constants and
// upstream quant casts. Every op is located at the ONNX node it came from.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_ONNX_IMPORTONNX_H
#define QUANTOPT_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::quantopt {

/// Options of the ONNX importer.
struct ImportONNXOptions {
  /// The value a symbolic (dynamic) batch dimension is bound to.
  int64_t batchSize = 1;
};

/// Imports the ONNX model held by the main buffer of `sourceMgr`. Errors
/// (malformed protobuf, unsupported op or attribute, unresolved shape) are
/// emitted as diagnostics naming the file, the node and its op type, and
/// null is returned.
OwningOpRef<ModuleOp> importONNX(llvm::SourceMgr &sourceMgr,
                                 MLIRContext *context,
                                 const ImportONNXOptions &options = {});

} // namespace mlir::quantopt

#endif // QUANTOPT_TARGET_ONNX_IMPORTONNX_H
