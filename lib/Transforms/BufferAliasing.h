//===- BufferAliasing.h - Which planned buffers share bytes -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What the loop passes after arena planning may assume about memory: the
// planner's byte ranges (`quantopt.arena_offset` and the static size) and
// the generated API's rule that inputs, outputs and the arena never
// overlap. LLVM and C compilers see one arena pointer and cannot.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_TRANSFORMS_BUFFERALIASING_H
#define QUANTOPT_LIB_TRANSFORMS_BUFFERALIASING_H

#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Value.h"

namespace mlir::quantopt {

/// The buffer a memref value is a view of (through view-like ops): a
/// function argument, a global, an allocation, or the value itself.
Value getRootBuffer(Value memref);

/// Whether root buffers `a` and `b` are provably different bytes: different
/// function arguments of which at most one is a planned arena buffer, two
/// planned buffers whose byte ranges do not intersect, a constant global
/// (never written) and anything else, two different globals or
/// allocations.
bool areDisjointBuffers(Value a, Value b, SymbolTableCollection &symbols);

} // namespace mlir::quantopt

#endif // QUANTOPT_LIB_TRANSFORMS_BUFFERALIASING_H
