//===- InitAll.h - Register QuantOpt dialects and passes ----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The one list of dialects, passes and pipelines shared by the tools and the
// tests.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_INITALL_H
#define QUANTOPT_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::quantopt {

/// Registers the qnn dialect and every upstream dialect (and interface
/// extension) the QuantOpt pipelines create or parse.
void registerAllDialects(DialectRegistry &registry);

/// Registers the QuantOpt passes and pipelines plus the upstream passes the
/// backend pipelines use.
void registerAllPasses();

} // namespace mlir::quantopt

#endif // QUANTOPT_INITALL_H
