//===- quant-opt.cpp - QuantOpt optimizer and compiler driver -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Tools/QuantOptMain.h"

int main(int argc, char **argv) {
  return mlir::quantopt::quantOptMain(argc, argv);
}
