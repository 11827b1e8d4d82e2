//===- BufferAliasing.cpp - Which planned buffers share bytes ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "BufferAliasing.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::quantopt;

static constexpr StringLiteral kArenaOffsetAttr = "quantopt.arena_offset";

/// The buffer a memref value is a view of: a function argument, a global, an
/// allocation, or (unknown) the value itself.
Value mlir::quantopt::getRootBuffer(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>()) {
    if (view.getViewDest() != memref)
      break;
    memref = view.getViewSource();
  }
  return memref;
}

/// The byte range [first, second) of a planned arena argument, if `value`
/// is one with a static identity-layout type.
static std::optional<std::pair<int64_t, int64_t>>
getArenaRange(BlockArgument arg) {
  auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!func || arg.getOwner() != &func.getBody().front())
    return std::nullopt;
  auto offset =
      func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kArenaOffsetAttr);
  auto type = dyn_cast<MemRefType>(arg.getType());
  if (!offset || !type || !type.hasStaticShape())
    return std::nullopt;
  int64_t bytes = getArenaElementBytes(type.getElementType());
  if (bytes == 0)
    return std::nullopt;
  int64_t first = offset.getInt();
  return std::make_pair(first, first + type.getNumElements() * bytes);
}

static bool isFunctionArgument(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  return arg && isa<func::FuncOp>(arg.getOwner()->getParentOp()) &&
         arg.getOwner()->isEntryBlock();
}

static bool isPlannedArgument(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || !isFunctionArgument(value))
    return false;
  auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
  return func.getArgAttr(arg.getArgNumber(), kArenaOffsetAttr) != nullptr;
}

/// A constant global: never written, so disjoint from anything stored to.
static bool isConstantGlobal(Value value,
                             SymbolTableCollection &symbols) {
  auto get = value.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return false;
  auto global = symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  return global && global.getConstant();
}

bool mlir::quantopt::areDisjointBuffers(Value a, Value b,
                                        SymbolTableCollection &symbols) {
  if (a == b)
    return false;
  if (isConstantGlobal(a, symbols) || isConstantGlobal(b, symbols))
    return true;
  if (isFunctionArgument(a) && isFunctionArgument(b)) {
    bool plannedA = isPlannedArgument(a), plannedB = isPlannedArgument(b);
    if (!plannedA || !plannedB)
      return true; // inputs, outputs and the arena never overlap
    auto rangeA = getArenaRange(cast<BlockArgument>(a));
    auto rangeB = getArenaRange(cast<BlockArgument>(b));
    return rangeA && rangeB &&
           (rangeA->second <= rangeB->first || rangeB->second <= rangeA->first);
  }
  auto distinctObject = [](Value v) {
    return v.getDefiningOp<memref::GetGlobalOp>() ||
           v.getDefiningOp<memref::AllocOp>() ||
           v.getDefiningOp<memref::AllocaOp>();
  };
  if (!distinctObject(a) && !isFunctionArgument(a))
    return false;
  if (!distinctObject(b) && !isFunctionArgument(b))
    return false;
  // Two globals or allocations, or one of them and a function argument:
  // different objects. Two get_global ops of the same symbol are the same.
  auto globalA = a.getDefiningOp<memref::GetGlobalOp>();
  auto globalB = b.getDefiningOp<memref::GetGlobalOp>();
  if (globalA && globalB)
    return globalA.getName() != globalB.getName();
  return true;
}
