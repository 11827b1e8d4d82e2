//===- QnnDialect.h - qnn dialect declaration ---------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_IR_QNNDIALECT_H
#define QUANTOPT_DIALECT_QNN_IR_QNNDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "quantopt/Dialect/Qnn/IR/QnnOpsDialect.h.inc"

#endif // QUANTOPT_DIALECT_QNN_IR_QNNDIALECT_H
