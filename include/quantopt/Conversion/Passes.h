//===- Passes.h - QuantOpt conversion passes ----------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_PASSES_H
#define QUANTOPT_CONVERSION_PASSES_H

#include "quantopt/Conversion/QnnToLinalg/QnnToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace mlir::quantopt {

#define GEN_PASS_REGISTRATION
#include "quantopt/Conversion/Passes.h.inc"

} // namespace mlir::quantopt

#endif // QUANTOPT_CONVERSION_PASSES_H
