//===- FuseRequantize.cpp - Requantize epilogue per output plane -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Tiles each requantize (an elementwise i32 -> narrower-integer linalg
// generic) over its leading parallel dimensions and fuses the int32
// reduction that produces its input, with that reduction's init, into the
// loop: the accumulator is then one output plane (or row) per iteration
// instead of the whole int32 tensor.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::quantopt {
#define GEN_PASS_DEF_FUSEREQUANTIZEPASS
#include "quantopt/Transforms/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;

namespace {

/// A requantize epilogue and the ops of its int32 accumulator.
struct Epilogue {
  /// The elementwise requantize (the consumer that is tiled).
  linalg::GenericOp requantize;
  /// The reduction producing the accumulator (fused into the loop).
  linalg::LinalgOp accumulator;
  /// The op producing the accumulator's init (fill or bias broadcast),
  /// fused too; null when the init is something else.
  Operation *init = nullptr;
  /// The reshapes and slices between the ops above (erased once dead).
  SmallVector<Operation *> views;
};

class FuseRequantizePass
    : public quantopt::impl::FuseRequantizePassBase<FuseRequantizePass> {
public:
  using Base::Base;
  void runOnOperation() override;
};

} // namespace

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

/// Whether `op` only reinterprets or selects part of its (single) tensor
/// source: the ops the lowering puts between an accumulator and its users.
static bool isTensorView(Operation *op) {
  return isa<tensor::ExtractSliceOp, tensor::ExpandShapeOp,
             tensor::CollapseShapeOp>(op);
}

/// Follows single-use tensor views from `value` up to the op producing the
/// viewed tensor; records the views. Returns null when a view has another
/// user.
static Operation *getViewedProducer(Value value,
                                    SmallVectorImpl<Operation *> &views) {
  Operation *def = value.getDefiningOp();
  while (def && isTensorView(def)) {
    if (!def->getResult(0).hasOneUse())
      return nullptr;
    views.push_back(def);
    def = def->getOperand(0).getDefiningOp();
  }
  if (!def || !def->getResult(0).hasOneUse())
    return nullptr;
  return def;
}

/// Whether `op` computes its init without reading any activation: a fill,
/// or an all-parallel generic over constants (the broadcast bias).
static bool isAccumulatorInit(Operation *op) {
  if (isa<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumReductionLoops() != 0 ||
      generic->getNumResults() != 1)
    return false;
  return llvm::all_of(generic.getDpsInputs(), [](Value input) {
    return input.getDefiningOp<arith::ConstantOp>();
  });
}

/// Matches a requantize fed by an int32 reduction: `op` is an all-parallel
/// generic with one result of a narrower integer type whose first input is
/// an i32 tensor produced (through single-use reshapes and slices) by a
/// linalg op with a reduction loop and one i32 result used only there.
static std::optional<Epilogue> matchEpilogue(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0 ||
      op.getNumLoops() < 2 || op.hasIndexSemantics())
    return std::nullopt;
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  auto inputType = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  if (!resultType || !inputType || !resultType.hasStaticShape() ||
      !inputType.getElementType().isInteger(32) ||
      !resultType.getElementType().isInteger() ||
      resultType.getElementType().getIntOrFloatBitWidth() >= 32)
    return std::nullopt;
  // The requantize reads its input elementwise.
  if (!op.getMatchingIndexingMap(op.getDpsInputOperand(0)).isIdentity())
    return std::nullopt;
  Epilogue epilogue;
  epilogue.requantize = op;
  Operation *producer =
      getViewedProducer(op.getDpsInputs()[0], epilogue.views);
  auto accumulator = dyn_cast_or_null<linalg::LinalgOp>(producer);
  if (!accumulator || !accumulator.hasPureTensorSemantics() ||
      accumulator.getNumReductionLoops() == 0 ||
      accumulator->getNumResults() != 1 ||
      !getElementTypeOrSelf(accumulator->getResult(0).getType())
           .isInteger(32) ||
      !isa<TilingInterface>(accumulator.getOperation()))
    return std::nullopt;
  epilogue.accumulator = accumulator;
  Operation *init =
      getViewedProducer(accumulator.getDpsInits()[0], epilogue.views);
  if (init && isAccumulatorInit(init))
    epilogue.init = init;
  return epilogue;
}

//===----------------------------------------------------------------------===//
// Clean-up patterns
//===----------------------------------------------------------------------===//

namespace {
/// `extract_slice(expand_shape(x))` where a group of the expansion is cut in
/// an inner dimension (the wide-row convolution drops W_p - OW columns of
/// every row): the upstream bubble-up pattern cannot slice `x` then. This
/// slices `x` along the groups of one dimension, keeps the other groups
/// whole, expands, and cuts those groups after the expansion:
///
///   %e = tensor.expand_shape %x [[0], [1], [2, 3]] : 1x16x840 -> 1x16x28x30
///   %s = tensor.extract_slice %e[0, %f, 0, 0] [1, 1, 28, 28] [1, 1, 1, 1]
/// ->
///   %t = tensor.extract_slice %x[0, %f, 0] [1, 1, 840] [1, 1, 1]
///   %e = tensor.expand_shape %t [[0], [1], [2, 3]] : 1x1x840 -> 1x1x28x30
///   %s = tensor.extract_slice %e[0, 0, 0, 0] [1, 1, 28, 28] [1, 1, 1, 1]
///
/// so that the producer of `%x` can be fused through `%t`.
struct SplitSliceOfExpandShape : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto expand = slice.getSource().getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand)
      return rewriter.notifyMatchFailure(slice, "source is not expand_shape");
    RankedTensorType expandedType = expand.getResultType();
    RankedTensorType sourceType = expand.getSrcType();
    if (!expandedType.hasStaticShape() || !sourceType.hasStaticShape() ||
        slice.getType().getRank() != expandedType.getRank() ||
        !slice.hasUnitStride())
      return rewriter.notifyMatchFailure(slice, "not a static unit slice");
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    auto isFull = [&](int64_t dim) {
      return isConstantIntValue(offsets[dim], 0) &&
             isConstantIntValue(sizes[dim], expandedType.getDimSize(dim));
    };
    SmallVector<OpFoldResult> sourceOffsets, sourceSizes, sourceStrides;
    SmallVector<int64_t> innerShape;
    SmallVector<OpFoldResult> innerOffsets;
    bool slicesSource = false, cutsGroup = false;
    for (auto [group, indices] :
         llvm::enumerate(expand.getReassociationIndices())) {
      sourceStrides.push_back(rewriter.getIndexAttr(1));
      if (indices.size() == 1) {
        int64_t dim = indices.front();
        sourceOffsets.push_back(offsets[dim]);
        sourceSizes.push_back(sizes[dim]);
        std::optional<int64_t> size = getConstantIntValue(sizes[dim]);
        if (!size)
          return rewriter.notifyMatchFailure(slice, "dynamic slice size");
        innerShape.push_back(*size);
        innerOffsets.push_back(rewriter.getIndexAttr(0));
        slicesSource |= !isFull(dim);
        continue;
      }
      sourceOffsets.push_back(rewriter.getIndexAttr(0));
      sourceSizes.push_back(
          rewriter.getIndexAttr(sourceType.getDimSize(group)));
      for (int64_t dim : indices) {
        innerShape.push_back(expandedType.getDimSize(dim));
        innerOffsets.push_back(offsets[dim]);
        cutsGroup |= !isFull(dim);
      }
    }
    if (!slicesSource || !cutsGroup)
      return rewriter.notifyMatchFailure(
          slice, "nothing to split (left to the upstream patterns)");
    Location loc = slice.getLoc();
    Value sourceSlice = tensor::ExtractSliceOp::create(
        rewriter, loc, expand.getSrc(), sourceOffsets, sourceSizes,
        sourceStrides);
    auto innerType = expandedType.clone(innerShape);
    Value innerExpand = tensor::ExpandShapeOp::create(
        rewriter, loc, innerType, sourceSlice,
        expand.getReassociationIndices());
    SmallVector<OpFoldResult> strides(innerShape.size(),
                                      rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        slice, slice.getType(), innerExpand, innerOffsets, sizes, strides);
    return success();
  }
};

/// `extract_slice(collapse_shape(x))` that takes, in every collapsed group,
/// either the whole group or one element: a slice of `x` (the element's
/// index delinearized over the group), collapsed. Grouped convolutions
/// collapse their (group, filter) accumulator to the output channels; one
/// output channel is one (group, filter) pair:
///
///   %c = tensor.collapse_shape %x [[0], [1, 2], [3], [4]] : 1x2x2x3x3 -> 1x4x3x3
///   %s = tensor.extract_slice %c[0, %f, 0, 0] [1, 1, 3, 3] [1, 1, 1, 1]
/// ->
///   %i:2 = affine.delinearize_index %f into (2, 2)
///   %t = tensor.extract_slice %x[0, %i#0, %i#1, 0, 0] [1, 1, 1, 3, 3] ...
///   %s = tensor.collapse_shape %t [[0], [1, 2], [3], [4]] : -> 1x1x3x3
struct SliceOfCollapseShape : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto collapse =
        slice.getSource().getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse)
      return rewriter.notifyMatchFailure(slice, "source is not collapse_shape");
    RankedTensorType sourceType = collapse.getSrcType();
    RankedTensorType collapsedType = collapse.getResultType();
    if (!sourceType.hasStaticShape() ||
        slice.getType().getRank() != collapsedType.getRank() ||
        !slice.hasUnitStride())
      return rewriter.notifyMatchFailure(slice, "not a static unit slice");
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    Location loc = slice.getLoc();
    SmallVector<OpFoldResult> sourceOffsets, sourceSizes;
    bool hasCollapsedGroup = false;
    for (auto [dim, group] :
         llvm::enumerate(collapse.getReassociationIndices())) {
      if (group.size() == 1) {
        sourceOffsets.push_back(offsets[dim]);
        sourceSizes.push_back(sizes[dim]);
        continue;
      }
      hasCollapsedGroup = true;
      if (isConstantIntValue(offsets[dim], 0) &&
          isConstantIntValue(sizes[dim], collapsedType.getDimSize(dim))) {
        for (int64_t d : group) {
          sourceOffsets.push_back(rewriter.getIndexAttr(0));
          sourceSizes.push_back(
              rewriter.getIndexAttr(sourceType.getDimSize(d)));
        }
        continue;
      }
      if (!isConstantIntValue(sizes[dim], 1))
        return rewriter.notifyMatchFailure(
            slice, "a collapsed group is cut to more than one element");
      SmallVector<int64_t> basis = llvm::map_to_vector(
          group, [&](int64_t d) { return sourceType.getDimSize(d); });
      Value offset =
          getValueOrCreateConstantIndexOp(rewriter, loc, offsets[dim]);
      auto delinearize = affine::AffineDelinearizeIndexOp::create(
          rewriter, loc, offset, basis, /*hasOuterBound=*/true);
      for (Value index : delinearize.getResults()) {
        sourceOffsets.push_back(index);
        sourceSizes.push_back(rewriter.getIndexAttr(1));
      }
    }
    if (!hasCollapsedGroup)
      return rewriter.notifyMatchFailure(slice, "nothing is collapsed");
    SmallVector<OpFoldResult> strides(sourceOffsets.size(),
                                      rewriter.getIndexAttr(1));
    Value sourceSlice = tensor::ExtractSliceOp::create(
        rewriter, loc, collapse.getSrc(), sourceOffsets, sourceSizes, strides);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        slice, slice.getType(), sourceSlice,
        collapse.getReassociationIndices());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Tiles `epilogue.requantize` with size 1 over its first `tiledDims` loops
/// and fuses the accumulator and its init. Returns failure, leaving the IR
/// as it was, when the accumulator could not be fused.
static LogicalResult fuseEpilogue(RewriterBase &rewriter,
                                  Epilogue epilogue,
                                  int64_t tiledDims) {
  linalg::GenericOp requantize = epilogue.requantize;
  int64_t loops = requantize.getNumLoops();
  SmallVector<int64_t> ranges = requantize.getStaticLoopRanges();
  SmallVector<OpFoldResult> tileSizes;
  int64_t tileCount = 1;
  for (int64_t i = 0; i < loops; ++i) {
    bool tiled = i < tiledDims;
    tileSizes.push_back(rewriter.getIndexAttr(tiled ? 1 : 0));
    if (tiled)
      tileCount *= ranges[i];
  }
  // One tile would be the whole accumulator: nothing to gain.
  if (tileCount <= 1)
    return failure();

  llvm::SmallPtrSet<Operation *, 2> fusable = {
      epilogue.accumulator.getOperation()};
  if (epilogue.init)
    fusable.insert(epilogue.init);

  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(tileSizes);
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Only the accumulator and its init move into the loop; the padded input,
  // the weights and everything else stay computed once, outside.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!fusable.contains(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  MLIRContext *context = rewriter.getContext();
  RewritePatternSet cleanup(context);
  tensor::ExtractSliceOp::getCanonicalizationPatterns(cleanup, context);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  tensor::populateFoldTensorEmptyPatterns(cleanup);
  cleanup.add<SplitSliceOfExpandShape, SliceOfCollapseShape>(context);
  options.cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));

  rewriter.setInsertionPoint(requantize);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(requantize.getOperation()), options);
  if (failed(result))
    return failure();
  if (result->loops.empty())
    return failure();
  if (!result->fusedProducers.contains(epilogue.accumulator)) {
    // Without the accumulator in the loop the tiling only splits the
    // requantize: undo it.
    rewriter.eraseOp(result->loops.front());
    return failure();
  }
  Value replacement = result->replacements.lookup(requantize->getResult(0));
  if (!replacement)
    return failure();
  rewriter.replaceAllUsesWith(requantize->getResult(0), replacement);
  // The fusion leaves the slices it fused through in the loop, unused; they
  // still read the untiled ops.
  SmallVector<tensor::ExtractSliceOp> unusedSlices;
  result->loops.front()->walk([&](tensor::ExtractSliceOp slice) {
    if (slice->use_empty())
      unusedSlices.push_back(slice);
  });
  for (tensor::ExtractSliceOp slice : unusedSlices)
    rewriter.eraseOp(slice);
  // The untiled ops are dead now: erase them from the consumer upwards.
  SmallVector<Operation *> dead = {requantize};
  llvm::append_range(dead, epilogue.views);
  dead.push_back(epilogue.accumulator);
  if (epilogue.init)
    dead.push_back(epilogue.init);
  bool changed = true;
  while (changed) {
    changed = false;
    for (Operation *&op : dead) {
      if (!op || !op->use_empty())
        continue;
      // The tensor.empty an erased op wrote into goes with it.
      llvm::SmallSetVector<Operation *, 2> empties;
      for (Value operand : op->getOperands())
        if (auto empty = operand.getDefiningOp<tensor::EmptyOp>())
          empties.insert(empty);
      rewriter.eraseOp(op);
      op = nullptr;
      changed = true;
      for (Operation *empty : empties)
        if (empty->use_empty())
          rewriter.eraseOp(empty);
    }
  }
  return success();
}

void FuseRequantizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  int64_t dims = leadingDims;
  if (dims < 0) {
    func.emitError() << "quantopt-fuse-requantize: leading-dims must be at "
                        "least 0, got "
                     << dims;
    return signalPassFailure();
  }
  if (dims == 0)
    return;
  SmallVector<Epilogue> epilogues;
  func.walk([&](linalg::GenericOp op) {
    if (std::optional<Epilogue> epilogue = matchEpilogue(op))
      epilogues.push_back(*epilogue);
  });
  IRRewriter rewriter(func.getContext());
  for (Epilogue &epilogue : epilogues) {
    int64_t rank = epilogue.requantize.getNumLoops();
    (void)fuseEpilogue(rewriter, epilogue, std::min<int64_t>(dims, rank - 1));
  }
}
