//===- Passes.h - QuantOpt backend passes -------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TRANSFORMS_PASSES_H
#define QUANTOPT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::quantopt {

#define GEN_PASS_DECL
#include "quantopt/Transforms/Passes.h.inc"

/// Bytes of one element as the arena planner and both backends store it;
/// `index` counts as 8 bytes (its widest lowering). 0 for other types.
int64_t getArenaElementBytes(Type type);

#define GEN_PASS_REGISTRATION
#include "quantopt/Transforms/Passes.h.inc"

} // namespace mlir::quantopt

#endif // QUANTOPT_TRANSFORMS_PASSES_H
