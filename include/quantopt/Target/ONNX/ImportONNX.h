//===- ImportONNX.h - Import ONNX models into the qnn dialect -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Translates an ONNX ModelProto (static shapes; the opset each op needs is
// listed by getSupportedONNXOps) into a
// module holding one `func.func @main` of qnn ops, arith constants and
// upstream quant casts. Every op is located at the ONNX node it came from.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_ONNX_IMPORTONNX_H
#define QUANTOPT_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

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

/// One ONNX op type the importer supports (default domain) and the oldest
/// default opset it is accepted in.
struct SupportedONNXOp {
  std::string opType;
  int64_t minOpset;
};

/// The op types the importer supports, sorted by name.
std::vector<SupportedONNXOp> getSupportedONNXOps();

} // namespace mlir::quantopt

#endif // QUANTOPT_TARGET_ONNX_IMPORTONNX_H
