//===- Passes.h - qnn transformation passes -----------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::quantopt::qnn {

#define GEN_PASS_DECL
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_H
