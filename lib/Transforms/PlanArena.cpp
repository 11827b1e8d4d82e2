//===- PlanArena.cpp - Place temporary buffers in one arena -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Static memory planning after bufferization: every top-level static
// `memref.alloc`/`memref.alloca` becomes a trailing function argument at a
// planned offset of one caller-owned arena (greedy by size, best fit over the
// buffers that are live at the same time), so generated code never allocates.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::quantopt {
#define GEN_PASS_DEF_PLANARENAPASS
#include "quantopt/Transforms/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;

/// Name of the argument attribute holding a buffer's byte offset.
static constexpr StringLiteral kArenaOffsetAttr = "quantopt.arena_offset";
/// Name of the function attribute holding the arena's byte size.
static constexpr StringLiteral kArenaSizeAttr = "quantopt.arena_size";
/// The largest number of buffer bytes live at one op: no plan is smaller.
static constexpr StringLiteral kLiveBoundAttr = "quantopt.arena_live_bound";
/// The bytes of all planned buffers together: the plan without any reuse.
static constexpr StringLiteral kBufferBytesAttr = "quantopt.buffer_bytes";

namespace {

/// One buffer to place: its allocation, byte size, live range over the
/// top-level op schedule (inclusive) and, once planned, its offset.
struct Buffer {
  Operation *alloc;
  MemRefType type;
  int64_t size;
  int64_t alignment;
  int64_t start;
  int64_t end;
  int64_t offset = 0;
};

class PlanArenaPass : public quantopt::impl::PlanArenaPassBase<PlanArenaPass> {
public:
  using Base::Base;
  void runOnOperation() override;
};

} // namespace

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

int64_t mlir::quantopt::getArenaElementBytes(Type type) {
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return llvm::divideCeil(type.getIntOrFloatBitWidth(), 8);
  return 0;
}

/// Whether `op` is a buffer allocation the planner owns.
static bool isPlannedAllocation(Operation *op) {
  return isa<memref::AllocOp, memref::AllocaOp>(op);
}

/// Follows view-like ops (subview, collapse/expand_shape, cast, ...) back to
/// the buffer they view.
static Value getViewRoot(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// Whether `value` is produced by a chain of pure reshapes/casts, i.e. shares
/// its first byte and its element order with the root buffer.
static bool isWholeBufferView(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp>(
            def))
      return isPlannedAllocation(def);
    value = def->getOperand(0);
  }
  return false;
}

/// Builds a view of `source` (identity layout, static shape) with the static
/// identity-layout type `type` of the same element count: one collapse or
/// expand when the shapes allow it, else a collapse to 1-D and an expand.
static Value buildReshape(OpBuilder &builder, Location loc, Value source,
                          MemRefType type) {
  auto sourceType = cast<MemRefType>(source.getType());
  if (sourceType == type)
    return source;
  if (sourceType.getRank() > type.getRank()) {
    if (auto reassociation =
            getReassociationIndicesForReshape(sourceType, type))
      return memref::CollapseShapeOp::create(builder, loc, type, source,
                                             *reassociation);
  } else if (sourceType.getRank() < type.getRank()) {
    if (auto reassociation =
            getReassociationIndicesForReshape(sourceType, type))
      return memref::ExpandShapeOp::create(builder, loc, type, source,
                                           *reassociation);
  }
  Value flat = source;
  if (sourceType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector<2>(llvm::seq<int64_t>(0, sourceType.getRank()));
    auto flatType = MemRefType::get({sourceType.getNumElements()},
                                    sourceType.getElementType());
    flat = memref::CollapseShapeOp::create(builder, loc, flatType, source,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all =
      llvm::to_vector<2>(llvm::seq<int64_t>(0, type.getRank()));
  return memref::ExpandShapeOp::create(builder, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

/// Whether `use` may read or write the buffer's bytes. A linalg input the
/// payload never reads (the window operand of a pooling op only gives a
/// shape) does not.
static bool accessesContents(OpOperand &use) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return !linalgOp || !linalgOp.isDpsInput(&use) ||
         linalgOp.payloadUsesValueFromOperand(&use);
}

namespace {
/// How a buffer is used over the top-level op schedule.
struct BufferUses {
  int64_t lastUse;
  bool contentsAccessed = false;
};
} // namespace

/// Index of the last top-level op that uses `root` or a view of it, and
/// whether any use touches its bytes. Returns failure (after a diagnostic)
/// when a view escapes through `func.return`. A use by an op that may
/// forward the buffer in an unknown way (a non-view op with memref results)
/// keeps the buffer live to the end of the function.
static FailureOr<BufferUses>
getBufferUses(Value root, Block &body,
              const DenseMap<Operation *, int64_t> &order) {
  BufferUses uses{order.lookup(root.getDefiningOp())};
  int64_t end = static_cast<int64_t>(body.getOperations().size()) - 1;
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<func::ReturnOp>(user))
        return root.getDefiningOp()->emitOpError()
               << "is returned by the function; run "
                  "buffer-results-to-out-params{modify-public-functions=1} "
                  "before planning the arena";
      Operation *top = body.findAncestorOpInBlock(*user);
      uses.lastUse = std::max(uses.lastUse, order.lookup(top));
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == value) {
        llvm::append_range(worklist, user->getResults());
        continue;
      }
      uses.contentsAccessed |= accessesContents(use);
      if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
        uses.lastUse = end;
    }
  }
  return uses;
}

//===----------------------------------------------------------------------===//
// Clean-ups before planning
//===----------------------------------------------------------------------===//

/// `memref.copy %view_of_alloc, %out` where `%out` is a function argument
/// used only by the copy and the copy is the last use of the allocation:
/// the allocation becomes a view of `%out`, so the result is written in place
/// and no copy remains (buffer-results-to-out-params{hoist-static-allocs}
/// does this only when the returned value is the alloc itself, not a reshape
/// of it).
static void forwardOutputCopies(func::FuncOp func) {
  Block &body = func.getBody().front();
  for (auto copy : llvm::make_early_inc_range(body.getOps<memref::CopyOp>())) {
    auto out = dyn_cast<BlockArgument>(copy.getTarget());
    if (!out || out.getOwner() != &body || !out.hasOneUse())
      continue;
    auto outType = dyn_cast<MemRefType>(out.getType());
    if (!outType || !outType.hasStaticShape() ||
        !outType.getLayout().isIdentity() || outType.getRank() == 0 ||
        !isWholeBufferView(copy.getSource()))
      continue;
    Operation *alloc = getViewRoot(copy.getSource()).getDefiningOp();
    auto allocType = cast<MemRefType>(alloc->getResult(0).getType());
    if (alloc->getBlock() != &body || !allocType.hasStaticShape() ||
        !allocType.getLayout().isIdentity() || allocType.getRank() == 0 ||
        allocType.getElementType() != outType.getElementType() ||
        allocType.getMemorySpace() != outType.getMemorySpace())
      continue;
    // Every other use of the allocation (or its views) must come before the
    // copy, so that writing `%out` early changes nothing observable.
    bool copyIsLast = true;
    SmallVector<Value> worklist = {alloc->getResult(0)};
    while (!worklist.empty() && copyIsLast) {
      Value value = worklist.pop_back_val();
      for (Operation *user : value.getUsers()) {
        if (user == copy)
          continue;
        Operation *top = body.findAncestorOpInBlock(*user);
        if (!top || !top->isBeforeInBlock(copy)) {
          copyIsLast = false;
          break;
        }
        if (auto view = dyn_cast<ViewLikeOpInterface>(user);
            view && view.getViewSource() == value)
          llvm::append_range(worklist, user->getResults());
      }
    }
    if (!copyIsLast)
      continue;
    OpBuilder builder(alloc);
    Value view = buildReshape(builder, alloc->getLoc(), out, allocType);
    Value source = copy.getSource();
    copy.erase();
    // Drop the now unused reshapes that fed the copy, then the allocation.
    while (Operation *def = source.getDefiningOp()) {
      if (def == alloc || !def->use_empty())
        break;
      source = def->getOperand(0);
      def->erase();
    }
    alloc->getResult(0).replaceAllUsesWith(view);
    alloc->erase();
  }
}

/// EmitC lowers `memref.copy` to `memcpy` of whole buffers, which is only
/// right for contiguous buffers that are not views (a view would remain as
/// an unconvertible memref op). A copy into a subview (tensor.pad,
/// insert_slice) or from a reshape becomes `linalg.copy`, which
/// convert-linalg-to-loops and fold-memref-alias-ops turn into loops.
static void rewriteViewCopies(func::FuncOp func) {
  auto isPlainBuffer = [](Value value) {
    auto type = dyn_cast<MemRefType>(value.getType());
    return type && type.getLayout().isIdentity() &&
           !value.getDefiningOp<ViewLikeOpInterface>();
  };
  SmallVector<memref::CopyOp> copies;
  func.walk([&](memref::CopyOp copy) { copies.push_back(copy); });
  for (memref::CopyOp copy : copies) {
    if (isPlainBuffer(copy.getSource()) && isPlainBuffer(copy.getTarget()))
      continue;
    OpBuilder builder(copy);
    linalg::CopyOp::create(builder, copy.getLoc(), ValueRange{copy.getSource()},
                           ValueRange{copy.getTarget()});
    copy.erase();
  }
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// Greedy-by-size placement: the largest buffers first, each into the
/// smallest gap (best fit) between the buffers already placed whose live
/// ranges overlap its own, else after the highest of them. Returns the arena
/// size, rounded up to `arenaAlignment`.
static int64_t placeBuffers(MutableArrayRef<Buffer> buffers,
                            int64_t arenaAlignment) {
  auto order = llvm::to_vector(llvm::seq<unsigned>(0, buffers.size()));
  llvm::sort(order, [&](unsigned a, unsigned b) {
    if (buffers[a].size != buffers[b].size)
      return buffers[a].size > buffers[b].size;
    return buffers[a].start < buffers[b].start;
  });

  int64_t arenaEnd = 0;
  SmallVector<unsigned> placed;
  for (unsigned index : order) {
    Buffer &buffer = buffers[index];
    buffer.offset = 0;
    if (buffer.size == 0)
      continue;
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (unsigned other : placed) {
      const Buffer &o = buffers[other];
      if (o.start <= buffer.end && buffer.start <= o.end)
        busy.push_back({o.offset, o.offset + o.size});
    }
    llvm::sort(busy);
    int64_t cursor = 0;
    int64_t bestOffset = -1, bestGap = 0;
    for (auto [begin, end] : busy) {
      int64_t candidate = llvm::alignTo(cursor, buffer.alignment);
      if (candidate + buffer.size <= begin &&
          (bestOffset < 0 || begin - cursor < bestGap)) {
        bestOffset = candidate;
        bestGap = begin - cursor;
      }
      cursor = std::max(cursor, end);
    }
    buffer.offset =
        bestOffset >= 0
            ? bestOffset
            : static_cast<int64_t>(llvm::alignTo(cursor, buffer.alignment));
    arenaEnd = std::max(arenaEnd, buffer.offset + buffer.size);
    placed.push_back(index);
  }
  return llvm::alignTo(arenaEnd, arenaAlignment);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

void PlanArenaPass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  int64_t arenaAlignment = alignment;
  if (arenaAlignment < 1 || !llvm::isPowerOf2_64(arenaAlignment)) {
    func.emitError() << "quantopt-plan-arena: alignment must be a power of "
                        "two, got "
                     << arenaAlignment;
    return signalPassFailure();
  }
  Block &body = func.getBody().front();
  bool singleBlock = func.getBody().hasOneBlock();

  // Diagnose what cannot be planned before changing anything.
  bool invalid = false;
  func.walk([&](Operation *op) {
    if (!isPlannedAllocation(op))
      return;
    if (!singleBlock) {
      op->emitOpError() << "is in a function with several blocks; the arena "
                           "planner orders buffers over one block";
      invalid = true;
      return;
    }
    auto type = cast<MemRefType>(op->getResult(0).getType());
    bool topLevel = op->getBlock() == &body;
    // A nested alloca is scoped scratch (one stack slot per iteration) and
    // stays where it is; a nested alloc would need one arena slot per
    // dynamic instance.
    if (!topLevel && isa<memref::AllocaOp>(op))
      return;
    if (!topLevel) {
      op->emitOpError() << "is not at the top level of the function body; "
                           "the arena planner needs one static instance of "
                           "every buffer";
      invalid = true;
    } else if (!type.hasStaticShape()) {
      op->emitOpError() << "has a dynamic shape " << type
                        << "; the arena planner needs static sizes";
      invalid = true;
    } else if (!type.getLayout().isIdentity()) {
      op->emitOpError() << "has a non-identity layout " << type
                        << "; the arena planner places only contiguous "
                           "buffers";
      invalid = true;
    } else if (getArenaElementBytes(type.getElementType()) == 0) {
      op->emitOpError() << "has element type " << type.getElementType()
                        << ", whose size in the arena is unknown";
      invalid = true;
    }
  });
  if (invalid)
    return signalPassFailure();

  // The arena is reused freely; nothing is ever freed.
  func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
  forwardOutputCopies(func);
  rewriteViewCopies(func);

  DenseMap<Operation *, int64_t> order;
  for (auto [index, op] : llvm::enumerate(body))
    order[&op] = index;

  SmallVector<Buffer> buffers;
  for (Operation &op : body) {
    if (!isPlannedAllocation(&op))
      continue;
    auto type = cast<MemRefType>(op.getResult(0).getType());
    int64_t elementBytes = getArenaElementBytes(type.getElementType());
    FailureOr<BufferUses> uses = getBufferUses(op.getResult(0), body, order);
    if (failed(uses))
      return signalPassFailure();
    // Each buffer is aligned to the option and at least to its element size,
    // so that a small `alignment` never misaligns wide elements.
    int64_t bufferAlignment = std::max<int64_t>(
        arenaAlignment,
        llvm::PowerOf2Ceil(static_cast<uint64_t>(elementBytes)));
    // A buffer whose bytes are never touched (only its shape is used) takes
    // no space; it still becomes an argument, at offset 0.
    int64_t size =
        uses->contentsAccessed ? type.getNumElements() * elementBytes : 0;
    buffers.push_back(
        {&op, type, size, bufferAlignment, order.lookup(&op), uses->lastUse});
  }

  int64_t arenaSize = placeBuffers(buffers, arenaAlignment);
  // What any plan needs at least (the most bytes live at one op) and what
  // giving every buffer its own bytes would take, for the memory report.
  int64_t liveBound = 0, totalBytes = 0;
  for (const Buffer &b : buffers) {
    totalBytes += b.size;
    int64_t live = 0;
    for (const Buffer &other : buffers)
      if (other.start <= b.start && b.start <= other.end)
        live += other.size;
    liveBound = std::max(liveBound, live);
  }

  // Materialize: one trailing argument per buffer, in allocation order.
  SmallVector<std::pair<Value, int64_t>> worklist;
  MLIRContext *context = func.getContext();
  Builder builder(context);
  for (Buffer &buffer : buffers) {
    unsigned argIndex = func.getNumArguments();
    auto attrs = builder.getDictionaryAttr(builder.getNamedAttr(
        kArenaOffsetAttr, builder.getI64IntegerAttr(buffer.offset)));
    if (failed(func.insertArgument(argIndex, buffer.type, attrs,
                                   buffer.alloc->getLoc()))) {
      buffer.alloc->emitOpError() << "could not become a function argument";
      return signalPassFailure();
    }
    buffer.alloc->getResult(0).replaceAllUsesWith(func.getArgument(argIndex));
    buffer.alloc->erase();
    worklist.push_back({func.getArgument(argIndex), buffer.offset});
  }
  // A reshape of a planned buffer is the same bytes with another shape: it
  // becomes one more argument at the same offset, so the generated code
  // indexes it directly instead of recomputing the source's indices with
  // divisions and remainders in the innermost loops.
  while (!worklist.empty()) {
    auto [view, offset] = worklist.pop_back_val();
    SmallVector<Operation *> reshapes;
    for (Operation *user : view.getUsers())
      if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user) &&
          cast<MemRefType>(user->getResult(0).getType()).getLayout().isIdentity())
        reshapes.push_back(user);
    for (Operation *reshape : reshapes) {
      unsigned argIndex = func.getNumArguments();
      auto attrs = builder.getDictionaryAttr(builder.getNamedAttr(
          kArenaOffsetAttr, builder.getI64IntegerAttr(offset)));
      if (failed(func.insertArgument(argIndex, reshape->getResult(0).getType(),
                                     attrs, reshape->getLoc()))) {
        reshape->emitOpError() << "could not become a function argument";
        return signalPassFailure();
      }
      reshape->getResult(0).replaceAllUsesWith(func.getArgument(argIndex));
      reshape->erase();
      worklist.push_back({func.getArgument(argIndex), offset});
    }
  }
  func->setAttr(kArenaSizeAttr, builder.getI64IntegerAttr(arenaSize));
  func->setAttr(kLiveBoundAttr, builder.getI64IntegerAttr(liveBound));
  func->setAttr(kBufferBytesAttr, builder.getI64IntegerAttr(totalBytes));
}
