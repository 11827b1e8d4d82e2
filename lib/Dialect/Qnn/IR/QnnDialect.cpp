//===- QnnDialect.cpp - qnn dialect registration ------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/IR/QnnDialect.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::quantopt::qnn;

#include "quantopt/Dialect/Qnn/IR/QnnOpsDialect.cpp.inc"
#include "quantopt/Dialect/Qnn/IR/QnnEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "quantopt/Dialect/Qnn/IR/QnnAttrs.cpp.inc"

void QnnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "quantopt/Dialect/Qnn/IR/QnnOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "quantopt/Dialect/Qnn/IR/QnnAttrs.cpp.inc"
      >();
}
