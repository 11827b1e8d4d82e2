//===- PromoteAccumulators.cpp - Accumulators in registers -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Scalar replacement of the output element a reduction loop reads and
// writes in every iteration: it becomes an scf.for iter_args value, loaded
// once before the loop and stored once after it. The disjointness proof
// uses what LLVM cannot see: the arena planner's byte offsets and the
// generated API's no-overlap contract for inputs, outputs and arena.
//
//===----------------------------------------------------------------------===//

#include "BufferAliasing.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::quantopt {
#define GEN_PASS_DEF_PROMOTEACCUMULATORSPASS
#include "quantopt/Transforms/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;

namespace {

/// One promotable element: the store, the loads it replaces, and its place.
struct Candidate {
  memref::StoreOp store;
  SmallVector<memref::LoadOp> loads;
};

/// Checks the loop for one accumulator `store` may keep in a register.
std::optional<Candidate> checkCandidate(scf::ForOp loop,
                                        memref::StoreOp store,
                                        SymbolTableCollection &symbols) {
  Value memref = store.getMemRef();
  if (!loop.isDefinedOutsideOfLoop(memref) ||
      !llvm::all_of(store.getIndices(), [&](Value index) {
        return loop.isDefinedOutsideOfLoop(index);
      }))
    return std::nullopt;
  Value root = getRootBuffer(memref);
  Candidate candidate{store, {}};
  bool seenStore = false;
  bool ok = true;
  loop.getBody()->walk([&](Operation *op) {
    if (op == store.getOperation()) {
      seenStore = true;
      return WalkResult::advance();
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (load.getMemRef() == memref && llvm::equal(ValueRange(load.getIndices()),
                      ValueRange(store.getIndices())) &&
          load->getBlock() == loop.getBody() && !seenStore) {
        candidate.loads.push_back(load);
        return WalkResult::advance();
      }
      if (areDisjointBuffers(getRootBuffer(load.getMemRef()), root, symbols))
        return WalkResult::advance();
      ok = false;
      return WalkResult::interrupt();
    }
    if (auto other = dyn_cast<memref::StoreOp>(op)) {
      if (areDisjointBuffers(getRootBuffer(other.getMemRef()), root, symbols))
        return WalkResult::advance();
      ok = false;
      return WalkResult::interrupt();
    }
    // Loops, branches and pure ops; views are pure. Anything else that may
    // touch memory keeps the loop as it is.
    if (isMemoryEffectFree(op) ||
        op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    ok = false;
    return WalkResult::interrupt();
  });
  if (!ok)
    return std::nullopt;
  return candidate;
}

std::optional<Candidate> findCandidate(scf::ForOp loop,
                                       SymbolTableCollection &symbols) {
  for (auto store : loop.getBody()->getOps<memref::StoreOp>())
    if (auto candidate = checkCandidate(loop, store, symbols))
      return candidate;
  return std::nullopt;
}

/// Moves the element into an iter_args value of `loop`; returns the new loop.
scf::ForOp promote(RewriterBase &rewriter, scf::ForOp loop,
                   const Candidate &candidate) {
  memref::StoreOp store = candidate.store;
  Location loc = store.getLoc();
  rewriter.setInsertionPoint(loop);
  Value init = memref::LoadOp::create(rewriter, loc, store.getMemRef(),
                                      store.getIndices());
  Value stored = store.getValueToStore();
  FailureOr<LoopLikeOpInterface> replaced = loop.replaceWithAdditionalYields(
      rewriter, ValueRange{init}, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        return SmallVector<Value>{stored};
      });
  auto newLoop = cast<scf::ForOp>(replaced->getOperation());
  Value accumulator = newLoop.getRegionIterArgs().back();
  for (memref::LoadOp load : candidate.loads)
    rewriter.replaceOp(load, accumulator);
  rewriter.setInsertionPointAfter(newLoop);
  memref::StoreOp::create(rewriter, loc, newLoop.getResults().back(),
                          store.getMemRef(), store.getIndices());
  rewriter.eraseOp(store);
  return newLoop;
}

class PromoteAccumulatorsPass
    : public quantopt::impl::PromoteAccumulatorsPassBase<
          PromoteAccumulatorsPass> {
public:
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk<WalkOrder::PostOrder>(
        [&](scf::ForOp loop) { loops.push_back(loop); });
    SymbolTableCollection symbols;
    IRRewriter rewriter(&getContext());
    // Post-order: a loop is visited after the loops nested in it, and only
    // the visited loop itself is replaced, so the pointers still to visit
    // (its ancestors and later siblings) stay valid.
    for (scf::ForOp loop : loops)
      while (std::optional<Candidate> candidate =
                 findCandidate(loop, symbols))
        loop = promote(rewriter, loop, *candidate);
  }
};

} // namespace
