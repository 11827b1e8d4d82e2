//===- TileAccumulators.cpp - Accumulator rows in registers -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Register tiling of an accumulation row: a loop nest
//
//   for r1 .. for rk:  for p in [lb, ub):  M[.., p] = M[.., p] + g(p, r...)
//
// (the reductions r outside the row p, as the wide-row convolutions and
// pools are lowered) becomes
//
//   for pt in [lb, lb + n * T) step T:
//     acc = vector.load M[.., pt]                       (T lanes)
//     acc = for r1 .. for rk (iter_args acc):  acc + g(pt .. pt + T, r...)
//     vector.store acc, M[.., pt]
//   (the original nest for the remaining [lb + n * T, ub))
//
// so that the accumulators stay in vector registers across the reduction
// loops. Each position sums its terms in the original order (only
// different positions interleave), so the results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "BufferAliasing.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::quantopt {
#define GEN_PASS_DEF_TILEACCUMULATORSPASS
#include "quantopt/Transforms/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;

namespace {

/// A row accumulation found in an innermost loop.
struct Row {
  scf::ForOp row;                 ///< the p loop
  SmallVector<scf::ForOp> chain;  ///< reduction loops, outermost first
  memref::StoreOp store;          ///< M[.., p] = ...
  int64_t lb = 0, ub = 0;
};

std::optional<int64_t> getConstant(Value v) {
  if (auto c = v.getDefiningOp<arith::ConstantIndexOp>())
    return c.value();
  return std::nullopt;
}

/// Checks that `row` is an accumulation row M[.., p] and finds the
/// reduction loops around it.
std::optional<Row> matchRow(scf::ForOp row, SymbolTableCollection &symbols) {
  if (row.getNumRegionIterArgs() != 0)
    return std::nullopt;
  std::optional<int64_t> lb = getConstant(row.getLowerBound());
  std::optional<int64_t> ub = getConstant(row.getUpperBound());
  std::optional<int64_t> step = getConstant(row.getStep());
  if (!lb || !ub || step != 1)
    return std::nullopt;
  Value iv = row.getInductionVar();
  // Exactly one store, to M[.., p], M's other indices invariant here.
  SmallVector<memref::StoreOp> stores(row.getBody()->getOps<memref::StoreOp>());
  if (stores.size() != 1)
    return std::nullopt;
  memref::StoreOp store = stores.front();
  ValueRange indices = store.getIndices();
  if (indices.empty() || indices.back() != iv ||
      !llvm::all_of(indices.drop_back(), [&](Value index) {
        return row.isDefinedOutsideOfLoop(index);
      }) ||
      !row.isDefinedOutsideOfLoop(store.getMemRef()))
    return std::nullopt;
  Value root = getRootBuffer(store.getMemRef());
  // Every other op: pure, or a load of the same element before the store,
  // or a load of other bytes.
  bool seenStore = false;
  for (Operation &op : row.getBody()->without_terminator()) {
    if (&op == store.getOperation()) {
      seenStore = true;
      continue;
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (load.getMemRef() == store.getMemRef() &&
          llvm::equal(ValueRange(load.getIndices()), indices) && !seenStore)
        continue;
      if (areDisjointBuffers(getRootBuffer(load.getMemRef()), root, symbols))
        continue;
      return std::nullopt;
    }
    if (!isMemoryEffectFree(&op) || op.getNumRegions() != 0)
      return std::nullopt;
  }
  Row match{row, {}, store, *lb, *ub};
  // The reduction loops: perfectly nested around the row, without
  // iter_args, their induction variables not indexing M.
  Operation *inner = row;
  while (auto parent = dyn_cast<scf::ForOp>(inner->getParentOp())) {
    Block *body = parent.getBody();
    if (parent.getNumRegionIterArgs() != 0 ||
        &body->front() != inner || body->getOperations().size() != 2)
      break;
    if (llvm::is_contained(indices, parent.getInductionVar()))
      break;
    match.chain.insert(match.chain.begin(), parent);
    inner = parent;
  }
  if (match.chain.empty())
    return std::nullopt;
  // M and its indices must be defined outside the whole nest.
  scf::ForOp outer = match.chain.front();
  if (!outer.isDefinedOutsideOfLoop(store.getMemRef()) ||
      !llvm::all_of(indices.drop_back(), [&](Value index) {
        return outer.isDefinedOutsideOfLoop(index);
      }))
    return std::nullopt;
  return match;
}

/// How the row body's values depend on the row position p.
struct RowShape {
  /// Values that depend on p (all others are the same for every p).
  llvm::DenseSet<Value> varying;
  /// Of those, the index values p + (something independent of p).
  llvm::DenseSet<Value> unitStride;
};

/// Classifies the row body; fails on anything a T-lane vector version of
/// it cannot express: a p-dependent index that is not p + c, a load whose
/// p-dependent index is not the last one, a p-dependent op that is not
/// elementwise.
std::optional<RowShape> analyzeRow(Row &match) {
  RowShape shape;
  Value p = match.row.getInductionVar();
  shape.varying.insert(p);
  shape.unitStride.insert(p);
  for (Operation &op : match.row.getBody()->without_terminator()) {
    if (&op == match.store.getOperation())
      continue;
    bool varies = llvm::any_of(op.getOperands(), [&](Value v) {
      return shape.varying.contains(v);
    });
    if (!varies)
      continue;
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      ValueRange indices = load.getIndices();
      auto type = load.getMemRefType();
      if (!type.getLayout().isIdentity() || indices.empty() ||
          !shape.unitStride.contains(indices.back()) ||
          llvm::any_of(indices.drop_back(), [&](Value v) {
            return shape.varying.contains(v);
          }))
        return std::nullopt;
      shape.varying.insert(load.getResult());
      continue;
    }
    if (op.getNumResults() != 1 || !OpTrait::hasElementwiseMappableTraits(&op))
      return std::nullopt;
    // A lane-dependent index used as data (index_cast of p) would need an
    // iota; not supported.
    if (!op.getResult(0).getType().isIndex() &&
        llvm::any_of(op.getOperands(), [&](Value v) {
          return shape.unitStride.contains(v);
        }))
      return std::nullopt;
    Value result = op.getResult(0);
    if (result.getType().isIndex()) {
      // Only p + c, for the last index of a load.
      auto add = dyn_cast<arith::AddIOp>(op);
      if (!add)
        return std::nullopt;
      Value a = add.getLhs(), b = add.getRhs();
      bool unit = (shape.unitStride.contains(a) && !shape.varying.contains(b)) ||
                  (shape.unitStride.contains(b) && !shape.varying.contains(a));
      if (!unit)
        return std::nullopt;
      shape.unitStride.insert(result);
    } else if (!result.getType().isIntOrFloat()) {
      return std::nullopt;
    }
    shape.varying.insert(result);
  }
  // The stored value must come from the row (a uniform one would be odd,
  // but is fine: it is broadcast).
  return shape;
}

/// Emits the row body for positions [pt, pt + tile) as `tile`-lane vectors;
/// `acc` is the accumulator vector. Returns the vector to store.
Value emitVectorRow(OpBuilder &b, Row &match, const RowShape &shape,
                    int64_t tile, Value pt, Value acc, IRMapping &map) {
  Location loc = match.store.getLoc();
  Value p = match.row.getInductionVar();
  // Index values at the tile's first position.
  map.map(p, pt);
  llvm::DenseMap<Value, Value> vectors;
  auto vectorOf = [&](Value v) -> Value {
    if (auto it = vectors.find(v); it != vectors.end())
      return it->second;
    Value scalar = map.lookupOrDefault(v);
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({tile}, scalar.getType()), scalar);
  };
  memref::StoreOp store = match.store;
  for (Operation &op : match.row.getBody()->without_terminator()) {
    if (&op == store.getOperation())
      continue;
    bool varies = llvm::any_of(op.getOperands(), [&](Value v) {
      return shape.varying.contains(v);
    });
    if (!varies || shape.unitStride.contains(op.getResult(0))) {
      // Same for the whole tile, or an index at the first position.
      b.clone(op, map);
      continue;
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (load.getMemRef() == store.getMemRef() &&
          llvm::equal(ValueRange(load.getIndices()),
                      ValueRange(store.getIndices()))) {
        vectors[load.getResult()] = acc;
        continue;
      }
      SmallVector<Value> indices;
      for (Value index : load.getIndices())
        indices.push_back(map.lookupOrDefault(index));
      vectors[load.getResult()] = vector::LoadOp::create(
          b, loc, VectorType::get({tile}, load.getType()),
          map.lookupOrDefault(load.getMemRef()), indices);
      continue;
    }
    OperationState state(op.getLoc(), op.getName());
    for (Value operand : op.getOperands())
      state.addOperands(vectorOf(operand));
    state.addTypes(VectorType::get({tile}, op.getResult(0).getType()));
    state.addAttributes(op.getAttrs());
    vectors[op.getResult(0)] = b.create(state)->getResult(0);
  }
  return vectorOf(store.getValueToStore());
}

/// Builds the reduction loops `chain` carrying the accumulator vector.
Value emitChain(OpBuilder &b, Row &match, const RowShape &shape,
                ArrayRef<scf::ForOp> chain, int64_t tile, Value pt,
                Value acc, IRMapping &map) {
  if (chain.empty())
    return emitVectorRow(b, match, shape, tile, pt, acc, map);
  scf::ForOp loop = chain.front();
  auto newLoop = scf::ForOp::create(
      b, loop.getLoc(), map.lookupOrDefault(loop.getLowerBound()),
      map.lookupOrDefault(loop.getUpperBound()),
      map.lookupOrDefault(loop.getStep()), ValueRange{acc},
      [&](OpBuilder &nb, Location loc, Value iv, ValueRange args) {
        map.map(loop.getInductionVar(), iv);
        Value result = emitChain(nb, match, shape, chain.drop_front(), tile,
                                 pt, args.front(), map);
        scf::YieldOp::create(nb, loc, result);
      });
  return newLoop.getResult(0);
}

/// Emits one tile of `size` lanes at position `pt`.
void emitTile(OpBuilder &b, Row &match, const RowShape &shape, int64_t size,
              Value pt) {
  memref::StoreOp store = match.store;
  Location loc = store.getLoc();
  SmallVector<Value> indices(store.getIndices().drop_back());
  indices.push_back(pt);
  auto vectorType =
      VectorType::get({size}, store.getValueToStore().getType());
  Value init = vector::LoadOp::create(b, loc, vectorType, store.getMemRef(),
                                      indices);
  IRMapping map;
  Value result = emitChain(b, match, shape, match.chain, size, pt, init, map);
  vector::StoreOp::create(b, loc, result, store.getMemRef(), indices);
}

void tileRow(Row match, const RowShape &shape, int64_t tile) {
  scf::ForOp outer = match.chain.front();
  Location loc = match.store.getLoc();
  OpBuilder b(outer);
  // Whole tiles in a loop, then one tile each of tile/2, tile/4, ... down
  // to 8 lanes where they fit; the last < 8 positions keep the original
  // nest (a row of 63 would otherwise leave 31 scalar positions).
  int64_t start = match.lb;
  for (int64_t size = tile; size >= std::min<int64_t>(tile, 8); size /= 2) {
    int64_t count = (match.ub - start) / size;
    if (count == 0)
      continue;
    Value first = arith::ConstantIndexOp::create(b, loc, start);
    if (count == 1) {
      emitTile(b, match, shape, size, first);
    } else {
      Value end = arith::ConstantIndexOp::create(b, loc, start + count * size);
      Value step = arith::ConstantIndexOp::create(b, loc, size);
      auto tiles = scf::ForOp::create(b, loc, first, end, step);
      OpBuilder tb = OpBuilder::atBlockBegin(tiles.getBody());
      emitTile(tb, match, shape, size, tiles.getInductionVar());
    }
    start += count * size;
  }
  if (start == match.ub) {
    outer.erase();
    return;
  }
  OpBuilder eb(match.row);
  match.row.setLowerBound(arith::ConstantIndexOp::create(eb, loc, start));
}

class TileAccumulatorsPass
    : public quantopt::impl::TileAccumulatorsPassBase<TileAccumulatorsPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (tile < 2) {
      func.emitError() << "tile must be at least 2, got "
                       << static_cast<int64_t>(tile);
      return signalPassFailure();
    }
    if (func.isExternal())
      return;
    SymbolTableCollection symbols;
    SmallVector<Row> rows;
    func.walk([&](scf::ForOp loop) {
      bool hasInnerLoop =
          loop.getBody()
              ->walk([](scf::ForOp) { return WalkResult::interrupt(); })
              .wasInterrupted();
      if (hasInnerLoop)
        return;
      if (std::optional<Row> match = matchRow(loop, symbols))
        if (match->ub - match->lb >= std::min<int64_t>(tile, 8))
          rows.push_back(*match);
    });
    for (Row &row : rows)
      if (std::optional<RowShape> shape = analyzeRow(row))
        tileRow(row, *shape, tile);
  }
};

} // namespace
