//===- QuantOptMain.h - The quant-opt driver ----------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TOOLS_QUANTOPTMAIN_H
#define QUANTOPT_TOOLS_QUANTOPTMAIN_H

namespace mlir::quantopt {

/// The quant-opt tool: mlir-opt on .mlir inputs, and the ONNX-to-C compiler
/// driver on .onnx inputs or with --emit. Returns the process exit code.
int quantOptMain(int argc, char **argv);

} // namespace mlir::quantopt

#endif // QUANTOPT_TOOLS_QUANTOPTMAIN_H
