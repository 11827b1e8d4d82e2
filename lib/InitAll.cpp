//===- InitAll.cpp - Register QuantOpt dialects and passes --------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/InitAll.h"
#include "quantopt/Conversion/Passes.h"
#include "quantopt/Dialect/Qnn/IR/QnnDialect.h"
#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Pipelines/Pipelines.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::quantopt::registerAllDialects(DialectRegistry &registry) {
  // The backend pipelines go through bufferization, linalg, scf, memref,
  // emitc and their interface models; upstream's lists keep those complete.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<qnn::QnnDialect>();
}

void mlir::quantopt::registerAllPasses() {
  mlir::registerAllPasses();
  qnn::registerQnnPasses();
  registerQuantOptConversionPasses();
  registerQuantOptTransformsPasses();
  registerPipelines();
}
