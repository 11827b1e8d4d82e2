//===- QnnToLinalg.cpp - Lower integer qnn ops to linalg ----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Lowers the integer form of the qnn dialect to linalg.generic ops on plain
// integer tensors. Products accumulate i8 x i8 in i32 with the input zero
// point folded into the bias; requantize is i64 fixed-point arithmetic with
// the rounding of docs/IntegerSemantics.md. No float op is created.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Conversion/QnnToLinalg/QnnToLinalg.h"
#include "Padding.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <limits>

namespace mlir::quantopt {
#define GEN_PASS_DEF_LOWERTOLINALGINT8PASS
#include "quantopt/Conversion/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

QuantStorageTypeConverter::QuantStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
      return type.clone(q.getStorageType());
    return type;
  });
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

using utils::IteratorType;

Value constI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

/// The i8/i32 values of a constant reached through quant.scast, if any.
std::optional<SmallVector<int64_t>> getConstantStorage(Value v) {
  if (auto scast = v.getDefiningOp<quant::StorageCastOp>())
    v = scast.getInput();
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (APInt x : attr.getValues<APInt>())
    values.push_back(x.getSExtValue());
  return values;
}

Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                Type element) {
  return tensor::EmptyOp::create(b, loc, shape, element);
}

/// A 1-D constant tensor.
template <typename T>
Value constTensor(OpBuilder &b, Location loc, ArrayRef<T> values, Type element) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, element);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// Pads an NCHW i8 tensor spatially with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pads,
                 int64_t value) {
  return padNCHW(b, loc, input, pads, [&] {
    auto element = cast<RankedTensorType>(input.getType()).getElementType();
    return Value(arith::ConstantIntOp::create(b, loc, element, value));
  });
}

/// Broadcasts a 1-D i32 bias along `axis` of an i32 tensor of `shape`.
Value broadcastBias(OpBuilder &b, Location loc, Value bias,
                    ArrayRef<int64_t> shape, int64_t axis) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  Value init = emptyLike(b, loc, shape, b.getI32Type());
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx)),
      AffineMap::getMultiDimIdentityMap(rank, ctx)};
  SmallVector<IteratorType> iters(rank, IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), bias, init, maps, iters,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}

/// Subtracts `zp_x * sum(w[c, ...])` from `perChannel[c]` for the input
/// zero point `zp_x` (nothing when it is 0), `c` indexing the filter's
/// `filterChannelAxis`: the part of `sum (x - zp_x) * w` that does not
/// depend on the input. Needs a constant filter.
LogicalResult subtractInputZeroPoint(Operation *op, Value originalFilter,
                                     int64_t filterChannelAxis,
                                     int64_t inputZeroPoint,
                                     MutableArrayRef<int64_t> perChannel) {
  if (inputZeroPoint == 0)
    return success();
  auto weights = getConstantStorage(originalFilter);
  if (!weights)
    return op->emitOpError("needs a constant filter when the input zero "
                           "point is non-zero");
  auto shape = cast<ShapedType>(originalFilter.getType()).getShape();
  int64_t inner = 1;
  for (int64_t d = filterChannelAxis + 1, e = shape.size(); d < e; ++d)
    inner *= shape[d];
  int64_t channels = static_cast<int64_t>(perChannel.size());
  for (int64_t i = 0, e = weights->size(); i < e; ++i)
    perChannel[(i / inner) % channels] -= inputZeroPoint * (*weights)[i];
  return success();
}

/// The accumulator init: bias - zp_x * sum_k w[channel, k], broadcast.
FailureOr<Value> buildAccumulatorInit(ConversionPatternRewriter &rewriter,
                                      Operation *op, Value originalFilter,
                                      Value bias, int64_t inputZeroPoint,
                                      ArrayRef<int64_t> accShape,
                                      int64_t channels, int64_t channelAxis,
                                      int64_t filterChannelAxis) {
  Location loc = op->getLoc();
  SmallVector<int64_t> init(channels, 0);
  if (bias) {
    auto values = getConstantStorage(bias);
    if (!values) {
      op->emitOpError("expects a constant bias");
      return failure();
    }
    init.assign(values->begin(), values->end());
  }
  if (failed(subtractInputZeroPoint(op, originalFilter, filterChannelAxis,
                                    inputZeroPoint, init)))
    return failure();
  SmallVector<int32_t> init32;
  for (int64_t v : init) {
    if (v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      op->emitOpError("bias with zero-point correction overflows int32");
      return failure();
    }
    init32.push_back(static_cast<int32_t>(v));
  }
  Value biasTensor =
      constTensor<int32_t>(rewriter, loc, init32, rewriter.getI32Type());
  return broadcastBias(rewriter, loc, biasTensor, accShape, channelAxis);
}

/// The accumulator init of a Gemm with an i32 [M, N] bias (a C that varies
/// by row): bias[m, n] - zp_x * sum_k w[n, k] (or w[k, n]), a constant.
FailureOr<Value> buildMatrixBiasInit(ConversionPatternRewriter &rewriter,
                                     Operation *op, Value originalFilter,
                                     Value bias, int64_t inputZeroPoint,
                                     ArrayRef<int64_t> accShape,
                                     int64_t filterChannelAxis) {
  auto values = getConstantStorage(bias);
  if (!values) {
    op->emitOpError("expects a constant bias");
    return failure();
  }
  int64_t columns = accShape[1];
  SmallVector<int64_t> correction(columns, 0);
  if (failed(subtractInputZeroPoint(op, originalFilter, filterChannelAxis,
                                    inputZeroPoint, correction)))
    return failure();
  SmallVector<int32_t> init;
  for (int64_t i = 0, e = values->size(); i < e; ++i) {
    int64_t v = (*values)[i] + correction[i % columns];
    if (v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      op->emitOpError("bias with zero-point correction overflows int32");
      return failure();
    }
    init.push_back(static_cast<int32_t>(v));
  }
  auto type = RankedTensorType::get(accShape, rewriter.getI32Type());
  return arith::ConstantOp::create(rewriter, op->getLoc(),
                                   DenseElementsAttr::get(type, ArrayRef(init)))
      .getResult();
}

/// acc += sext(x) * sext(w) body.
void buildMacBody(OpBuilder &b, Location loc, ValueRange args) {
  Value x = arith::ExtSIOp::create(b, loc, b.getI32Type(), args[0]);
  Value w = arith::ExtSIOp::create(b, loc, b.getI32Type(), args[1]);
  Value prod = arith::MulIOp::create(b, loc, x, w);
  linalg::YieldOp::create(b, loc,
                          Value(arith::AddIOp::create(b, loc, args[2], prod)));
}


/// Stride-1, dilation-1 convolution over "wide rows": each channel of the
/// zero-point-padded input is one flat row of (H_p + 1) * W_p values, and
/// the accumulator is computed for OH * W_p positions, so that output
/// position p reads input p + kh * W_p + kw. The innermost loop then walks
/// OH * W_p contiguous values (instead of one output row of OW), which C
/// compilers and LLVM vectorize well; the W_p - OW columns past each row's
/// end are computed and never read: the result is a strided view of the
/// wide accumulator.
FailureOr<Value> buildWideRowConv(ConversionPatternRewriter &rewriter,
                                  Operation *op, Value input, Value filter,
                                  Value originalFilter, Value bias,
                                  ArrayRef<int64_t> pads,
                                  int64_t inputZeroPoint,
                                  ArrayRef<int64_t> accShape, int64_t group) {
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  // The last window reads KW - 1 values past the last padded row; one more
  // row of padding keeps that in bounds (a 1x1 kernel needs none, and an
  // unpadded input is then used as is, without a copy).
  int64_t kernelWidth = cast<RankedTensorType>(filter.getType()).getDimSize(3);
  SmallVector<int64_t> widePads = {pads[0], pads[1],
                                   pads[2] + (kernelWidth > 1 ? 1 : 0), pads[3]};
  Value padded = padSpatial(rewriter, loc, input, widePads, inputZeroPoint);
  auto paddedType = cast<RankedTensorType>(padded.getType());
  int64_t n = paddedType.getDimSize(0), c = paddedType.getDimSize(1);
  int64_t hp = paddedType.getDimSize(2), wp = paddedType.getDimSize(3);
  int64_t f = accShape[1], oh = accShape[2];
  Value flat = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({n, c, hp * wp}, paddedType.getElementType()),
      padded, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  SmallVector<int64_t> wideShape = {n, f, oh * wp};
  FailureOr<Value> init =
      buildAccumulatorInit(rewriter, op, originalFilter, bias, inputZeroPoint,
                           wideShape, f, 1, 0);
  if (failed(init))
    return failure();
  Value wide;
  if (group == 1) {
    // (n, f, c, kh, kw, p)
    AffineExpr dn = getAffineDimExpr(0, ctx), df = getAffineDimExpr(1, ctx),
               dc = getAffineDimExpr(2, ctx), kh = getAffineDimExpr(3, ctx),
               kw = getAffineDimExpr(4, ctx), p = getAffineDimExpr(5, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0, {dn, dc, p + kh * wp + kw}, ctx),
        AffineMap::get(6, 0, {df, dc, kh, kw}, ctx),
        AffineMap::get(6, 0, {dn, df, p}, ctx)};
    SmallVector<IteratorType> iters = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::reduction, IteratorType::reduction,
        IteratorType::reduction, IteratorType::parallel};
    wide = linalg::GenericOp::create(rewriter, loc, init->getType(),
                                     ValueRange{flat, filter}, *init, maps,
                                     iters, buildMacBody)
               .getResult(0);
  } else {
    // Grouped (depthwise when each group has one channel): the filter and
    // the accumulator get a group dimension; (n, g, f, c, kh, kw, p).
    auto wType = cast<RankedTensorType>(filter.getType());
    ArrayRef<int64_t> ws = wType.getShape();
    int64_t fg = ws[0] / group, cg = ws[1];
    Value groupedFilter = tensor::ExpandShapeOp::create(
        rewriter, loc,
        wType.clone(SmallVector<int64_t>{group, fg, cg, ws[2], ws[3]}), filter,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    SmallVector<ReassociationIndices> accGroups = {{0}, {1, 2}, {3}};
    auto groupedAccType =
        RankedTensorType::get({n, group, fg, oh * wp}, rewriter.getI32Type());
    Value groupedInit = tensor::ExpandShapeOp::create(
        rewriter, loc, groupedAccType, *init, accGroups);
    AffineExpr dn = getAffineDimExpr(0, ctx), dg = getAffineDimExpr(1, ctx),
               df = getAffineDimExpr(2, ctx), dc = getAffineDimExpr(3, ctx),
               kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx),
               p = getAffineDimExpr(6, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0, {dn, dg * cg + dc, p + kh * wp + kw}, ctx),
        AffineMap::get(7, 0, {dg, df, dc, kh, kw}, ctx),
        AffineMap::get(7, 0, {dn, dg, df, p}, ctx)};
    SmallVector<IteratorType> iters = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::parallel,  IteratorType::reduction,
        IteratorType::reduction, IteratorType::reduction,
        IteratorType::parallel};
    Value acc = linalg::GenericOp::create(rewriter, loc, groupedAccType,
                                          ValueRange{flat, groupedFilter},
                                          groupedInit, maps, iters,
                                          buildMacBody)
                    .getResult(0);
    wide = tensor::CollapseShapeOp::create(rewriter, loc, init->getType(), acc,
                                           accGroups);
  }
  // The columns past each output row are dropped by a view, not a copy:
  // the consumer reads the wide buffer through a strided slice.
  Value rows = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({n, f, oh, wp}, rewriter.getI32Type()),
      wide, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
      accShape, [&](int64_t d) -> OpFoldResult { return rewriter.getIndexAttr(d); });
  SmallVector<OpFoldResult> steps(4, rewriter.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
             rewriter, loc,
             RankedTensorType::get(accShape, rewriter.getI32Type()), rows,
             offsets, sizes, steps)
      .getResult();
}

/// Stride-2 (dilation-1) convolution as a stride-1 one over the input's
/// four phases: with the input padded (zero point) to even height and
/// width, phase (a, b) of channel c is x_p[c, 2i + a, 2j + b], input
/// channel 4c + 2a + b of a [N, 4C, H_p / 2, W_p / 2] tensor, and
///
///   y[oh, ow] = sum_{kh, kw} w[kh, kw] x_p[2 oh + kh, 2 ow + kw]
///             = sum_{a, b, t, u} w'[2a + b][t, u] phase_ab[oh + t, ow + u]
///
/// with w'[2a + b][t, u] = w[2t + a, 2u + b] (0 past the kernel), a
/// ceil(k/2) x ceil(k/2) kernel. Groups stay contiguous (each holds 4x its
/// input channels), so depthwise stays grouped. The stride-1 convolution
/// then runs over wide rows; the zero taps cost up to (2 ceil(k/2) / k)^2
/// more multiply-adds (16/9 for 3x3) and buy contiguous, vectorizable
/// inner loops. Exact: the same products are summed.
FailureOr<Value> buildPhaseConv(ConversionPatternRewriter &rewriter,
                                Operation *op, Value input,
                                ArrayRef<int64_t> filterValues,
                                Value originalFilter, Value bias,
                                ArrayRef<int64_t> pads, int64_t inputZeroPoint,
                                ArrayRef<int64_t> accShape, int64_t group) {
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t hp = inType.getDimSize(2) + pads[0] + pads[2];
  int64_t wp = inType.getDimSize(3) + pads[1] + pads[3];
  Value padded = padSpatial(
      rewriter, loc, input,
      {pads[0], pads[1], pads[2] + hp % 2, pads[3] + wp % 2}, inputZeroPoint);
  int64_t hh = (hp + 1) / 2, wh = (wp + 1) / 2;
  // phases[n, c, a, b, i, j] = padded[n, c, 2i + a, 2j + b].
  Type i8 = inType.getElementType();
  AffineExpr dn = getAffineDimExpr(0, ctx), dc = getAffineDimExpr(1, ctx),
             da = getAffineDimExpr(2, ctx), db = getAffineDimExpr(3, ctx),
             di = getAffineDimExpr(4, ctx), dj = getAffineDimExpr(5, ctx);
  auto split = RankedTensorType::get({n, c, 2, 2, hh, wh}, i8);
  Value phases =
      linalg::GenericOp::create(
          rewriter, loc, split, padded,
          tensor::EmptyOp::create(rewriter, loc, split.getShape(), i8)
              .getResult(),
          SmallVector<AffineMap>{
              AffineMap::get(6, 0, {dn, dc, di * 2 + da, dj * 2 + db}, ctx),
              AffineMap::getMultiDimIdentityMap(6, ctx)},
          SmallVector<IteratorType>(6, IteratorType::parallel),
          [](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(nb, nl, args[0]);
          })
          .getResult(0);
  phases = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({n, c * 4, hh, wh}, i8), phases,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});

  // The phase filter [F, 4 C/G, ceil(kh/2), ceil(kw/2)].
  ArrayRef<int64_t> ws =
      cast<ShapedType>(originalFilter.getType()).getShape();
  int64_t f = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
  int64_t th = (kh + 1) / 2, tw = (kw + 1) / 2;
  SmallVector<int8_t> phaseFilter(f * cg * 4 * th * tw, 0);
  for (int64_t o = 0; o < f; ++o)
    for (int64_t ci = 0; ci < cg; ++ci)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          int64_t channel = ci * 4 + (y % 2) * 2 + x % 2;
          phaseFilter[((o * cg * 4 + channel) * th + y / 2) * tw + x / 2] =
              static_cast<int8_t>(
                  filterValues[((o * cg + ci) * kh + y) * kw + x]);
        }
  auto phaseFilterType =
      RankedTensorType::get({f, cg * 4, th, tw}, rewriter.getI8Type());
  Value filter = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(phaseFilterType, ArrayRef(phaseFilter)));
  // The zero-point correction reads the original filter: its sums are the
  // phase filter's.
  return buildWideRowConv(rewriter, op, phases, filter, originalFilter, bias,
                          {0, 0, 0, 0}, inputZeroPoint, accShape, group);
}

/// Integer NCHW conv with zero-point-padded input; returns the i32 acc.
FailureOr<Value> buildConv(ConversionPatternRewriter &rewriter, Operation *op,
                           Value input, Value filter, Value originalFilter,
                           Value bias, ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                           int64_t inputZeroPoint, ArrayRef<int64_t> accShape,
                           int64_t group = 1) {
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  if (llvm::all_of(strides, [](int64_t v) { return v == 1; }) &&
      llvm::all_of(dilations, [](int64_t v) { return v == 1; }))
    return buildWideRowConv(rewriter, op, input, filter, originalFilter, bias,
                            pads, inputZeroPoint, accShape, group);
  // Phases pay off where the row loops are weakest: grouped (depthwise)
  // convolutions and few input channels (an image stem). Measured on the
  // MobileNet's stride-2 stem (1 input channel) and depthwise layer: 86.8
  // -> 75.0 us (x86-64 object); on a 16-channel group-1 layer they tie.
  // A 1-wide kernel reads one phase only (the other three would be zero
  // taps): it keeps the row loops.
  auto filterShape = cast<ShapedType>(originalFilter.getType()).getShape();
  int64_t channelsPerGroup = filterShape[1];
  if (llvm::all_of(strides, [](int64_t v) { return v == 2; }) &&
      llvm::all_of(dilations, [](int64_t v) { return v == 1; }) &&
      filterShape[2] > 1 && filterShape[3] > 1 &&
      (group > 1 || channelsPerGroup < 8))
    if (auto values = getConstantStorage(originalFilter))
      return buildPhaseConv(rewriter, op, input, *values, originalFilter, bias,
                            pads, inputZeroPoint, accShape, group);
  Value padded = padSpatial(rewriter, loc, input, pads, inputZeroPoint);
  FailureOr<Value> init =
      buildAccumulatorInit(rewriter, op, originalFilter, bias, inputZeroPoint,
                           accShape, accShape[1], 1, 0);
  if (failed(init))
    return failure();
  if (group != 1)
    return buildGroupedConvNCHW(rewriter, loc, padded, filter, *init, strides,
                                dilations, group, buildMacBody);
  // Loop order (n, f, c, kh, kw, oh, ow): the reductions run outside the
  // output rows so that the innermost loop walks one output row and one
  // input row contiguously with a loop-invariant weight, which C compilers
  // vectorize; the accumulator is updated in place.
  AffineExpr n = getAffineDimExpr(0, ctx), f = getAffineDimExpr(1, ctx),
             c = getAffineDimExpr(2, ctx), kh = getAffineDimExpr(3, ctx),
             kw = getAffineDimExpr(4, ctx), oh = getAffineDimExpr(5, ctx),
             ow = getAffineDimExpr(6, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(7, 0,
                     {n, c, oh * strides[0] + kh * dilations[0],
                      ow * strides[1] + kw * dilations[1]},
                     ctx),
      AffineMap::get(7, 0, {f, c, kh, kw}, ctx),
      AffineMap::get(7, 0, {n, f, oh, ow}, ctx)};
  SmallVector<IteratorType> iters = {
      IteratorType::parallel,  IteratorType::parallel,
      IteratorType::reduction, IteratorType::reduction,
      IteratorType::reduction, IteratorType::parallel,
      IteratorType::parallel};
  return linalg::GenericOp::create(rewriter, loc, init->getType(),
                                   ValueRange{padded, filter}, *init, maps,
                                   iters, buildMacBody)
      .getResult(0);
}

/// Fixed-point rescale of `x` (i64, zero point already removed) by the
/// multiplier/shift of one channel, in the given rounding mode; returns i64.
Value buildRescale(OpBuilder &b, Location loc, Value x, Value multiplier,
                   Value shift, RoundingMode mode) {
  Value c31 = constI64(b, loc, 31), c1 = constI64(b, loc, 1);
  if (mode == RoundingMode::Single) {
    // (x * M + 2^(30 - shift)) >> (31 - shift)
    Value total = arith::SubIOp::create(b, loc, c31, shift);
    Value round = arith::ShLIOp::create(
        b, loc, c1, arith::SubIOp::create(b, loc, total, c1));
    Value prod = arith::MulIOp::create(b, loc, x, multiplier);
    return arith::ShRSIOp::create(b, loc,
                                  arith::AddIOp::create(b, loc, prod, round),
                                  total);
  }
  // gemmlowp: SaturatingRoundingDoublingHighMul(x << left, M), then
  // RoundingDivideByPOT(., right). x is an int32 value held in i64; M > 0, so
  // the only saturating case (both INT32_MIN) cannot occur.
  Value c0 = constI64(b, loc, 0);
  Value left = arith::MaxSIOp::create(b, loc, shift, c0);
  Value right =
      arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, c0, shift),
                             c0);
  // x << left wraps in 32 bits, as the reference does.
  Value shifted = arith::ShLIOp::create(b, loc, x, left);
  shifted = arith::ExtSIOp::create(
      b, loc, b.getI64Type(),
      arith::TruncIOp::create(b, loc, b.getI32Type(), shifted));
  Value ab = arith::MulIOp::create(b, loc, shifted, multiplier);
  Value pos = constI64(b, loc, int64_t(1) << 30);
  Value neg = constI64(b, loc, 1 - (int64_t(1) << 30));
  Value isNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, ab, c0);
  Value nudge = arith::SelectOp::create(b, loc, isNeg, neg, pos);
  Value high = arith::DivSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, ab, nudge),
      constI64(b, loc, int64_t(1) << 31));
  Value mask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, c1, right), c1);
  Value remainder = arith::AndIOp::create(b, loc, high, mask);
  Value highNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, high, c0);
  Value threshold = arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, mask, c1),
      arith::ExtUIOp::create(b, loc, b.getI64Type(), highNeg));
  Value roundUp = arith::ExtUIOp::create(
      b, loc, b.getI64Type(),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, remainder,
                            threshold));
  return arith::AddIOp::create(b, loc,
                               arith::ShRSIOp::create(b, loc, high, right),
                               roundUp);
}

/// Elementwise requantize of `input` (storage i8/i32 with `inZeroPoint`)
/// into an i8 tensor; per-channel parameters along `axis` when more than one.
Value buildRequantize(OpBuilder &b, Location loc, Value input,
                      int64_t inZeroPoint, int64_t outZeroPoint,
                      ArrayRef<int32_t> multipliers, ArrayRef<int32_t> shifts,
                      int64_t axis, RoundingMode mode, int64_t lo, int64_t hi,
                      Type outElement) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t rank = inType.getRank();
  Value init = emptyLike(b, loc, inType.getShape(), outElement);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx)};
  // Per-channel parameters are tables indexed by the channel. In single
  // rounding the tables hold what the formula needs per element, M,
  // 2^(30 - shift) and 31 - shift, so no shift amount is computed per
  // element; double rounding takes M and the shift.
  bool perChannel = multipliers.size() > 1;
  bool single = mode == RoundingMode::Single;
  SmallVector<int64_t> m64(multipliers.begin(), multipliers.end());
  SmallVector<int64_t> second, third;
  for (int32_t shift : shifts) {
    second.push_back(single ? int64_t(1) << (30 - shift) : shift);
    third.push_back(31 - shift);
  }
  if (perChannel) {
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
    // M is an int32 table widened in the loop: the compilers then see a
    // 32 x 32 -> 64-bit product (one pmuldq / smull per lane pair instead
    // of an emulated 64 x 64 multiply).
    inputs.push_back(constTensor<int32_t>(
        b, loc, SmallVector<int32_t>(multipliers.begin(), multipliers.end()),
        b.getI32Type()));
    inputs.push_back(constTensor<int64_t>(b, loc, second, b.getI64Type()));
    maps.append({channel, channel});
    if (single) {
      inputs.push_back(constTensor<int64_t>(b, loc, third, b.getI64Type()));
      maps.push_back(channel);
    }
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<IteratorType> iters(rank, IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value x =
                   arith::ExtSIOp::create(nb, nl, nb.getI64Type(), args[0]);
               if (inZeroPoint != 0)
                 x = arith::SubIOp::create(nb, nl, x,
                                           constI64(nb, nl, inZeroPoint));
               auto param = [&](int index, ArrayRef<int64_t> values) {
                 return perChannel ? args[index]
                                   : constI64(nb, nl, values.front());
               };
               Value m = perChannel ? Value(arith::ExtSIOp::create(
                                          nb, nl, nb.getI64Type(), args[1]))
                                    : constI64(nb, nl, m64.front());
               Value y;
               if (single) {
                 // (x * M + 2^(30 - shift)) >> (31 - shift)
                 Value prod = arith::MulIOp::create(nb, nl, x, m);
                 y = arith::ShRSIOp::create(
                     nb, nl,
                     arith::AddIOp::create(nb, nl, prod, param(2, second)),
                     param(3, third));
               } else {
                 y = buildRescale(nb, nl, x, m, param(2, second), mode);
               }
               if (outZeroPoint != 0)
                 y = arith::AddIOp::create(nb, nl, y,
                                           constI64(nb, nl, outZeroPoint));
               y = arith::MaxSIOp::create(nb, nl, y, constI64(nb, nl, lo));
               y = arith::MinSIOp::create(nb, nl, y, constI64(nb, nl, hi));
               linalg::YieldOp::create(
                   nb, nl, Value(arith::TruncIOp::create(nb, nl, outElement, y)));
             })
      .getResult(0);
}

/// NCHW max pooling of an i8 tensor; padding never wins.
Value buildMaxPool(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> pads, ArrayRef<int64_t> outShape,
                   int64_t lowest, ArrayRef<int64_t> dilations = {1, 1}) {
  MLIRContext *ctx = b.getContext();
  auto elem = cast<RankedTensorType>(input.getType()).getElementType();
  Value padded = padSpatial(b, loc, input, pads, lowest);
  Value window = emptyLike(b, loc, kernel, elem);
  Value init = linalg::FillOp::create(
                   b, loc,
                   ValueRange{arith::ConstantIntOp::create(b, loc, elem, lowest)},
                   ValueRange{emptyLike(b, loc, outShape, elem)})
                   .getResult(0);
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx),
             kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {n, c, oh * strides[0] + kh * dilations[0],
                      ow * strides[1] + kw * dilations[1]},
                     ctx),
      AffineMap::get(6, 0, {kh, kw}, ctx),
      AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
  SmallVector<IteratorType> iters = {
      IteratorType::parallel, IteratorType::parallel, IteratorType::parallel,
      IteratorType::parallel, IteratorType::reduction,
      IteratorType::reduction};
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{padded, window}, init, maps,
             iters,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl,
                   Value(arith::MaxSIOp::create(nb, nl, args[0], args[2])));
             })
      .getResult(0);
}

/// Elementwise clamp of an integer tensor.
Value buildClamp(OpBuilder &b, Location loc, Value input, int64_t lo,
                 int64_t hi) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  Type elem = type.getElementType();
  int64_t rank = type.getRank();
  Value init = emptyLike(b, loc, type.getShape(), elem);
  SmallVector<AffineMap> maps(2, AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<IteratorType> iters(rank, IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, input, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value y = arith::MaxSIOp::create(
                   nb, nl, args[0],
                   arith::ConstantIntOp::create(nb, nl, elem, lo));
               y = arith::MinSIOp::create(
                   nb, nl, y, arith::ConstantIntOp::create(nb, nl, elem, hi));
               linalg::YieldOp::create(nb, nl, y);
             })
      .getResult(0);
}

quant::UniformQuantizedType perTensor(Type t) {
  return dyn_cast_or_null<quant::UniformQuantizedType>(getQuantElementType(t));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

struct ConvLowering : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = perTensor(op.getInput().getType());
    if (!inType)
      return failure();
    FailureOr<Value> acc = buildConv(
        rewriter, op, adaptor.getInput(), adaptor.getFilter(), op.getFilter(),
        op.getBias(), op.getStrides(), op.getPads(), op.getDilations(),
        inType.getZeroPoint(), op.getResult().getType().getShape(),
        static_cast<int64_t>(op.getGroup()));
    if (failed(acc))
      return failure();
    rewriter.replaceOp(op, *acc);
    return success();
  }
};

/// Batched MatMul [..., M, K] x [..., K, N] (batch dimensions broadcast)
/// over the iteration space (batch..., m, n, k) with the reduction
/// innermost. With a constant symmetric rhs (a weight): acc[..., m, n] =
/// -zp_a * sum_k b[..., k, n] + sum_k a[..., m, k] * b[..., k, n], the
/// zero-point term a constant table over b's batch dimensions and columns,
/// broadcast over the rows. With an activation rhs (computed, or with a
/// zero point): acc = sum_k (a - zp_a) * (b - zp_b) from 0.
FailureOr<Value> buildBatchedMatMul(ConversionPatternRewriter &rewriter,
                                    MatMulOp op, Value lhs, Value rhs,
                                    int64_t lhsZeroPoint,
                                    int64_t rhsZeroPoint) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  ArrayRef<int64_t> accShape = op.getResult().getType().getShape();
  ArrayRef<int64_t> lhsShape = op.getLhs().getType().getShape();
  ArrayRef<int64_t> rhsShape = op.getRhs().getType().getShape();
  int64_t rank = accShape.size();
  Type i32 = rewriter.getI32Type();
  SmallVector<AffineMap> maps =
      getMatMulIndexingMaps(ctx, lhsShape, rhsShape, accShape);
  SmallVector<IteratorType> iters(rank, IteratorType::parallel);
  iters.push_back(IteratorType::reduction);
  Value init;
  if (rhsZeroPoint != 0 || !getConstantStorage(op.getRhs())) {
    init = linalg::FillOp::create(
               rewriter, loc,
               ValueRange{arith::ConstantIntOp::create(rewriter, loc, i32, 0)},
               ValueRange{emptyLike(rewriter, loc, accShape, i32)})
               .getResult(0);
    auto centred = [&](OpBuilder &b, Location l, Value v, int64_t zp) {
      Value x = arith::ExtSIOp::create(b, l, b.getI32Type(), v);
      if (zp == 0)
        return x;
      return Value(arith::SubIOp::create(
          b, l, x, arith::ConstantIntOp::create(b, l, b.getI32Type(), zp)));
    };
    return linalg::GenericOp::create(
               rewriter, loc, init.getType(), ValueRange{lhs, rhs}, init, maps,
               iters,
               [&](OpBuilder &b, Location l, ValueRange args) {
                 Value prod = arith::MulIOp::create(
                     b, l, centred(b, l, args[0], lhsZeroPoint),
                     centred(b, l, args[1], rhsZeroPoint));
                 linalg::YieldOp::create(
                     b, l, Value(arith::AddIOp::create(b, l, args[2], prod)));
               })
        .getResult(0);
  }
  if (lhsZeroPoint == 0) {
    init = linalg::FillOp::create(
               rewriter, loc,
               ValueRange{arith::ConstantIntOp::create(rewriter, loc, i32, 0)},
               ValueRange{emptyLike(rewriter, loc, accShape, i32)})
               .getResult(0);
  } else {
    // A computed rhs took the centred path above.
    auto weights = getConstantStorage(op.getRhs());
    assert(weights && "expected a constant rhs");
    // table[batch..., n] = -zp_a * sum_k b[batch..., k, n]
    int64_t k = rhsShape[rhsShape.size() - 2], n = rhsShape.back();
    int64_t matrices = weights->size() / (k * n);
    SmallVector<int32_t> table;
    for (int64_t b = 0; b < matrices; ++b)
      for (int64_t j = 0; j < n; ++j) {
        int64_t sum = 0;
        for (int64_t l = 0; l < k; ++l)
          sum += (*weights)[(b * k + l) * n + j];
        int64_t v = -lhsZeroPoint * sum;
        if (v < std::numeric_limits<int32_t>::min() ||
            v > std::numeric_limits<int32_t>::max())
          return op.emitOpError("zero-point correction overflows int32");
        table.push_back(static_cast<int32_t>(v));
      }
    SmallVector<int64_t> tableShape(rhsShape.drop_back(2));
    tableShape.push_back(n);
    Value tableValue = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get(tableShape, i32),
                               ArrayRef(table)));
    // The rhs map without k, over the result's dimensions.
    AffineMap rhsMap = maps[1];
    SmallVector<AffineExpr> exprs(rhsMap.getResults().drop_back(2));
    exprs.push_back(getAffineDimExpr(rank - 1, ctx));
    SmallVector<AffineMap> initMaps = {
        AffineMap::get(rank, 0, exprs, ctx),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    init = linalg::GenericOp::create(
               rewriter, loc, RankedTensorType::get(accShape, i32), tableValue,
               emptyLike(rewriter, loc, accShape, i32), initMaps,
               SmallVector<IteratorType>(rank, IteratorType::parallel),
               [](OpBuilder &nb, Location nl, ValueRange args) {
                 linalg::YieldOp::create(nb, nl, args[0]);
               })
               .getResult(0);
  }
  return linalg::GenericOp::create(rewriter, loc, init.getType(),
                                   ValueRange{lhs, rhs}, init, maps, iters,
                                   buildMacBody)
      .getResult(0);
}

/// Gemm (transA = false) and MatMul: acc[m, n] = bias[n] - zp_a * colsum(b)
/// + sum_k a[m, k] * b[k, n] (or b[n, k] with transB).
template <typename OpTy>
struct ProductLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value a = op->getOperand(0), b = op->getOperand(1);
    auto aType = perTensor(a.getType());
    if (!aType)
      return failure();
    bool transB = false;
    Value bias;
    if (auto gemm = dyn_cast<GemmOp>(op.getOperation())) {
      transB = gemm.getTransB();
      bias = gemm.getC();
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto accShape = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    // Batched MatMul, and MatMul with an activation rhs.
    auto matmul = dyn_cast<MatMulOp>(op.getOperation());
    int64_t bZeroPoint = 0;
    if (auto bType = perTensor(b.getType()))
      bZeroPoint = bType.getZeroPoint();
    if (matmul &&
        (accShape.size() > 2 || bZeroPoint != 0 || !getConstantStorage(b))) {
      FailureOr<Value> acc = buildBatchedMatMul(
          rewriter, matmul, adaptor.getOperands()[0], adaptor.getOperands()[1],
          aType.getZeroPoint(), bZeroPoint);
      if (failed(acc))
        return failure();
      rewriter.replaceOp(op, *acc);
      return success();
    }
    FailureOr<Value> init =
        bias && cast<RankedTensorType>(bias.getType()).getRank() == 2
            ? buildMatrixBiasInit(rewriter, op, b, bias, aType.getZeroPoint(),
                                  accShape, transB ? 0 : 1)
            : buildAccumulatorInit(rewriter, op, b, bias, aType.getZeroPoint(),
                                   accShape, accShape[1], 1, transB ? 0 : 1);
    if (failed(init))
      return failure();
    // A constant [K, N] weight is stored transposed, [N, K], so that the
    // k-reduction (the innermost loop) reads both operands contiguously:
    // the compilers then vectorize it as a dot product (sdot on aarch64).
    Value weight = adaptor.getOperands()[1];
    bool kContiguous = transB;
    if (!transB) {
      if (std::optional<SmallVector<int64_t>> values = getConstantStorage(b)) {
        auto type = cast<RankedTensorType>(weight.getType());
        int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
        unsigned width = type.getElementType().getIntOrFloatBitWidth();
        SmallVector<APInt> transposed;
        transposed.reserve(values->size());
        for (int64_t col = 0; col < cols; ++col)
          for (int64_t row = 0; row < rows; ++row)
            transposed.push_back(APInt(width, (*values)[row * cols + col],
                                       /*isSigned=*/true));
        auto transposedType =
            RankedTensorType::get({cols, rows}, type.getElementType());
        weight = arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(transposedType, transposed));
        kContiguous = true;
      }
    }
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, {m, k}, ctx),
        AffineMap::get(3, 0, kContiguous ? ArrayRef<AffineExpr>{n, k}
                                         : ArrayRef<AffineExpr>{k, n},
                       ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    SmallVector<IteratorType> iters = {IteratorType::parallel,
                                       IteratorType::parallel,
                                       IteratorType::reduction};
    Value acc = linalg::GenericOp::create(
                    rewriter, loc, init->getType(),
                    ValueRange{adaptor.getOperands()[0], weight}, *init, maps,
                    iters, buildMacBody)
                    .getResult(0);
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct RequantizeLowering : public OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getMultiplier())
      return op.emitOpError("has no fixed-point multipliers; run "
                            "qnn-compute-scales first");
    auto in = getQuantElementType(op.getInput().getType());
    auto out = cast<quant::UniformQuantizedType>(
        getQuantElementType(op.getResult().getType()));
    int64_t inZp = 0;
    if (auto u = dyn_cast<quant::UniformQuantizedType>(in))
      inZp = u.getZeroPoint();
    auto [lo, hi] = op.getClampRange();
    Value result = buildRequantize(
        rewriter, op.getLoc(), adaptor.getInput(), inZp, out.getZeroPoint(),
        *op.getMultiplier(), *op.getShift(), op.getChannelAxis(),
        op.getRounding(), lo, hi, out.getStorageType());
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConvReluPoolLowering : public OpConversionPattern<ConvReluPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvReluPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = perTensor(op.getInput().getType());
    auto outType = perTensor(op.getResult().getType());
    std::string reason;
    auto convShape = inferConvShape(
        op.getInput().getType().getShape(), op.getFilter().getType().getShape(),
        op.getConvStrides(), op.getConvPads(), op.getConvDilations(), 1,
        reason);
    if (failed(convShape))
      return op.emitOpError() << reason;
    FailureOr<Value> acc = buildConv(
        rewriter, op, adaptor.getInput(), adaptor.getFilter(), op.getFilter(),
        op.getBias(), op.getConvStrides(), op.getConvPads(),
        op.getConvDilations(), inType.getZeroPoint(), *convShape);
    if (failed(acc))
      return failure();
    Value q = buildRequantize(
        rewriter, op.getLoc(), *acc, 0, outType.getZeroPoint(),
        op.getMultiplier(), op.getShift(), 1, op.getRounding(),
        static_cast<int64_t>(op.getClampMin()),
        static_cast<int64_t>(op.getClampMax()), outType.getStorageType());
    Value pooled = buildMaxPool(rewriter, op.getLoc(), q, op.getPoolKernel(),
                                op.getPoolStrides(), op.getPoolPads(),
                                op.getResult().getType().getShape(),
                                outType.getStorageTypeMin());
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

struct MaxPoolLowering : public OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = perTensor(op.getInput().getType());
    if (!type)
      return failure();
    rewriter.replaceOp(
        op, buildMaxPool(rewriter, op.getLoc(), adaptor.getInput(),
                         op.getKernelShape(), op.getStrides(), op.getPads(),
                         op.getResult().getType().getShape(),
                         type.getStorageTypeMin(), op.getDilationsOrOnes()));
    return success();
  }
};

/// The flat NCHW index of each window's maximum: one linalg.generic over
/// (n, c, oh, ow, kh, kw) carrying the running maximum (i32, from below the
/// storage range) and its index; an element replaces them only if it lies
/// inside the input (padding never wins) and is strictly greater, so the
/// first maximum in window order wins a tie.
struct MaxPoolIndicesLowering : public OpConversionPattern<MaxPoolIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = perTensor(op.getInput().getType());
    if (!type)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> inShape = op.getInput().getType().getShape();
    ArrayRef<int64_t> outShape = op.getResult().getType().getShape();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      pads = op.getPads();
    SmallVector<int64_t> dilations = op.getDilationsOrOnes();
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), pads,
                              type.getStorageTypeMin());
    Type i32 = rewriter.getI32Type();
    Value window = emptyLike(rewriter, loc, kernel,
                             cast<RankedTensorType>(padded.getType())
                                 .getElementType());
    auto fill = [&](int32_t v) {
      return linalg::FillOp::create(
                 rewriter, loc,
                 ValueRange{arith::ConstantIntOp::create(rewriter, loc, i32, v)},
                 ValueRange{emptyLike(rewriter, loc, outShape, i32)})
          .getResult(0);
    };
    Value maxInit = fill(std::numeric_limits<int32_t>::min());
    Value indexInit = fill(0);
    AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
               oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx),
               kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
    AffineMap out = AffineMap::get(6, 0, {n, c, oh, ow}, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0,
                       {n, c, oh * strides[0] + kh * dilations[0],
                        ow * strides[1] + kw * dilations[1]},
                       ctx),
        AffineMap::get(6, 0, {kh, kw}, ctx), out, out};
    SmallVector<IteratorType> iters(4, IteratorType::parallel);
    iters.append(2, IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{maxInit.getType(), indexInit.getType()},
        ValueRange{padded, window}, ValueRange{maxInit, indexInit}, maps,
        iters, [&](OpBuilder &nb, Location nl, ValueRange args) {
          auto index = [&](int64_t dim) {
            return Value(arith::IndexCastOp::create(
                nb, nl, nb.getI32Type(),
                linalg::IndexOp::create(nb, nl, dim).getResult()));
          };
          auto cst = [&](int64_t v) {
            return Value(arith::ConstantIntOp::create(nb, nl, nb.getI32Type(),
                                                      v));
          };
          // Input row and column of this window element.
          Value h = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(nb, nl, index(2), cst(strides[0])),
              arith::MulIOp::create(nb, nl, index(4), cst(dilations[0])));
          h = arith::SubIOp::create(nb, nl, h, cst(pads[0]));
          Value w = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(nb, nl, index(3), cst(strides[1])),
              arith::MulIOp::create(nb, nl, index(5), cst(dilations[1])));
          w = arith::SubIOp::create(nb, nl, w, cst(pads[1]));
          auto inRange = [&](Value v, int64_t size) {
            return arith::AndIOp::create(
                nb, nl,
                arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, v,
                                      cst(0)),
                arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, v,
                                      cst(size)));
          };
          Value inside = arith::AndIOp::create(nb, nl, inRange(h, inShape[2]),
                                               inRange(w, inShape[3]));
          Value x = arith::ExtSIOp::create(nb, nl, nb.getI32Type(), args[0]);
          Value greater = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::sgt, x, args[2]);
          Value take = arith::AndIOp::create(nb, nl, inside, greater);
          // ((n * C + c) * H + h) * W + w, or column major
          // ((n * C + c) * W + w) * H + h.
          bool columnMajor = op.getColumnMajor();
          Value flat = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(nb, nl, index(0), cst(inShape[1])),
              index(1));
          flat = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(nb, nl, flat,
                                    cst(inShape[columnMajor ? 3 : 2])),
              columnMajor ? w : h);
          flat = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(nb, nl, flat,
                                    cst(inShape[columnMajor ? 2 : 3])),
              columnMajor ? h : w);
          linalg::YieldOp::create(
              nb, nl,
              ValueRange{arith::SelectOp::create(nb, nl, take, x, args[2]),
                         arith::SelectOp::create(nb, nl, take, flat,
                                                 args[3])});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

/// Integer average pooling: the i32 sum of q - zp_in over each window
/// (padding holds zp_in, so it adds 0), then one requantize per output with
/// the multiplier of its window size.
struct AvgPoolLowering : public OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = perTensor(op.getInput().getType());
    auto outType = perTensor(op.getResult().getType());
    if (!inType || !outType)
      return failure();
    if (!op.getMultiplier())
      return op.emitOpError("has no fixed-point multipliers; run "
                            "qnn-compute-scales first");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides();
    ArrayRef<int64_t> outShape = op.getResult().getType().getShape();
    int64_t zpIn = inType.getZeroPoint();
    Value padded =
        padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(), zpIn);
    // sum(q - zp_in) = sum(q) - kh * kw * zp_in over the padded window.
    Type i32 = rewriter.getI32Type();
    Value init = linalg::FillOp::create(
                     rewriter, loc,
                     ValueRange{arith::ConstantIntOp::create(
                         rewriter, loc, i32, -kernel[0] * kernel[1] * zpIn)},
                     ValueRange{emptyLike(rewriter, loc, outShape, i32)})
                     .getResult(0);
    Value window = emptyLike(rewriter, loc, kernel, rewriter.getI8Type());
    // Loop order (n, c, kh, kw, oh, ow): reductions outside the output rows.
    AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
               kh = getAffineDimExpr(2, ctx), kw = getAffineDimExpr(3, ctx),
               oh = getAffineDimExpr(4, ctx), ow = getAffineDimExpr(5, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0, {n, c, oh * strides[0] + kh, ow * strides[1] + kw},
                       ctx),
        AffineMap::get(6, 0, {kh, kw}, ctx),
        AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
    SmallVector<IteratorType> iters = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::reduction, IteratorType::reduction,
        IteratorType::parallel,  IteratorType::parallel};
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{padded, window}, init,
            maps, iters,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Value x =
                  arith::ExtSIOp::create(nb, nl, nb.getI32Type(), args[0]);
              linalg::YieldOp::create(
                  nb, nl, Value(arith::AddIOp::create(nb, nl, args[2], x)));
            })
            .getResult(0);

    // The multiplier and shift of each output position: scalars when every
    // window has the same size, else [OH, OW] tables.
    SmallVector<int64_t> sizes = op.getWindowSizes();
    ArrayRef<int32_t> mults = *op.getMultiplier(), shifts = *op.getShift();
    bool tables = sizes.size() > 1;
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> rqMaps = {AffineMap::getMultiDimIdentityMap(4, ctx)};
    if (tables) {
      SmallVector<int64_t> mTable, sTable;
      for (int64_t d : op.getDivisors()) {
        size_t i = llvm::lower_bound(sizes, d) - sizes.begin();
        mTable.push_back(mults[i]);
        sTable.push_back(shifts[i]);
      }
      auto tableType = RankedTensorType::get({outShape[2], outShape[3]},
                                             rewriter.getI64Type());
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef(mTable))));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef(sTable))));
      AffineMap position = AffineMap::get(
          4, 0, {getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx);
      rqMaps.append({position, position});
    }
    rqMaps.push_back(AffineMap::getMultiDimIdentityMap(4, ctx));
    Type outElement = outType.getStorageType();
    Value outInit = emptyLike(rewriter, loc, outShape, outElement);
    int64_t zpOut = outType.getZeroPoint();
    int64_t lo = outType.getStorageTypeMin(), hi = outType.getStorageTypeMax();
    RoundingMode mode = op.getRounding();
    SmallVector<IteratorType> rqIters(4, IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, outInit.getType(), inputs, outInit, rqMaps, rqIters,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value x =
                  arith::ExtSIOp::create(nb, nl, nb.getI64Type(), args[0]);
              Value m = tables ? args[1] : constI64(nb, nl, mults.front());
              Value sh = tables ? args[2] : constI64(nb, nl, shifts.front());
              Value y = buildRescale(nb, nl, x, m, sh, mode);
              if (zpOut != 0)
                y = arith::AddIOp::create(nb, nl, y, constI64(nb, nl, zpOut));
              y = arith::MaxSIOp::create(nb, nl, y, constI64(nb, nl, lo));
              y = arith::MinSIOp::create(nb, nl, y, constI64(nb, nl, hi));
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::TruncIOp::create(nb, nl, outElement, y)));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Integer concat (every input already has the result's type): one
/// linalg.generic over the result that reads, at each index, the input the
/// axis index falls in (tensor.extract at a clamped index, then a select),
/// so no strided copy is left for bufferization.
struct ConcatLowering : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Float concats (float layers) only move bytes the same way.
    if (!perTensor(op.getResult().getType()) &&
        !op.getResult().getType().getElementType().isF32())
      return failure();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    int64_t rank = resultType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    SmallVector<int64_t> offsets;
    int64_t offset = 0;
    for (Value input : inputs) {
      offsets.push_back(offset);
      offset += cast<RankedTensorType>(input.getType()).getDimSize(axis);
    }
    Value init = emptyLike(rewriter, loc, resultType.getShape(),
                           resultType.getElementType());
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{}, init, maps, iters,
            [&](OpBuilder &nb, Location nl, ValueRange) {
              SmallVector<Value> indices;
              for (int64_t d = 0; d < rank; ++d)
                indices.push_back(linalg::IndexOp::create(nb, nl, d));
              Value index = indices[axis];
              Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
              // The element of input i at the axis index clamped into it.
              auto read = [&](int64_t i) {
                int64_t size = cast<RankedTensorType>(inputs[i].getType())
                                   .getDimSize(axis);
                SmallVector<Value> at(indices);
                Value local = arith::SubIOp::create(
                    nb, nl, index,
                    arith::ConstantIndexOp::create(nb, nl, offsets[i]));
                local = arith::MaxSIOp::create(nb, nl, local, zero);
                at[axis] = arith::MinSIOp::create(
                    nb, nl, local,
                    arith::ConstantIndexOp::create(nb, nl, size - 1));
                return Value(tensor::ExtractOp::create(nb, nl, inputs[i], at));
              };
              int64_t last = inputs.size() - 1;
              Value y = read(last);
              for (int64_t i = last - 1; i >= 0; --i) {
                Value inside = arith::CmpIOp::create(
                    nb, nl, arith::CmpIPredicate::slt, index,
                    arith::ConstantIndexOp::create(nb, nl, offsets[i + 1]));
                y = arith::SelectOp::create(nb, nl, inside, read(i), y);
              }
              linalg::YieldOp::create(nb, nl, y);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Relu and Clip on a quantized tensor: a clamp in storage units.
template <typename OpTy>
struct ActivationLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = perTensor(op.getType());
    if (!type)
      return failure();
    auto [clampLo, clampHi] = getActivationClampRange(op, type);
    rewriter.replaceOp(op, buildClamp(rewriter, op.getLoc(), adaptor.getInput(),
                                      clampLo, clampHi));
    return success();
  }
};

/// Flatten and Reshape: collapse to 1-D, then expand to the result shape.
template <typename OpTy>
struct ReshapeLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getResult().getType()));
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    Location loc = op.getLoc();
    auto flatType =
        RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
    SmallVector<ReassociationIndices> collapse(1);
    for (int64_t i = 0; i < inType.getRank(); ++i)
      collapse[0].push_back(i);
    Value flat = input;
    if (inType.getRank() != 1)
      flat = tensor::CollapseShapeOp::create(rewriter, loc, flatType, input,
                                             collapse);
    if (resultType.getRank() == 1) {
      rewriter.replaceOp(op, flat);
      return success();
    }
    SmallVector<ReassociationIndices> expand(1);
    for (int64_t i = 0; i < resultType.getRank(); ++i)
      expand[0].push_back(i);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, resultType, flat,
                                                       expand);
    return success();
  }
};

/// TFLite ADD: both inputs rescaled to 2 * max(s_a, s_b) with 20 bits of
/// headroom, added, and rescaled to the output.
struct AddLowering : public OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto a = perTensor(op.getLhs().getType()),
         b = perTensor(op.getRhs().getType()),
         out = perTensor(op.getResult().getType());
    if (!a || !b || !out)
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    RoundingMode mode = RoundingMode::Single;
    if (auto attr = op->getAttrOfType<RoundingModeAttr>("rounding"))
      mode = attr.getValue();
    double twiceMax = 2.0 * std::max(a.getScale(), b.getScale());
    FixedPointMultiplier ma = quantizeMultiplier(a.getScale() / twiceMax);
    FixedPointMultiplier mb = quantizeMultiplier(b.getScale() / twiceMax);
    FixedPointMultiplier mo =
        quantizeMultiplier(twiceMax / ((1 << 20) * out.getScale()));
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    int64_t rank = resultType.getRank();
    auto broadcastMap = [&](Value v) {
      auto shape = cast<RankedTensorType>(v.getType()).getShape();
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0, e = shape.size(); i < e; ++i) {
        int64_t d = i + rank - e;
        exprs.push_back(shape[i] == 1 && resultType.getDimSize(d) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(d, ctx));
      }
      return AffineMap::get(rank, 0, exprs, ctx);
    };
    Value init = emptyLike(rewriter, loc, resultType.getShape(),
                           resultType.getElementType());
    SmallVector<AffineMap> maps = {
        broadcastMap(adaptor.getLhs()), broadcastMap(adaptor.getRhs()),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Type outElem = resultType.getElementType();
    int64_t lo = out.getStorageTypeMin(), hi = out.getStorageTypeMax();
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType,
            ValueRange{adaptor.getLhs(), adaptor.getRhs()}, init, maps, iters,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              auto scaled = [&](Value x, int64_t zp,
                                const FixedPointMultiplier &m) {
                Value v = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), x);
                v = arith::SubIOp::create(nb, nl, v, constI64(nb, nl, zp));
                v = arith::ShLIOp::create(nb, nl, v, constI64(nb, nl, 20));
                return buildRescale(nb, nl, v, constI64(nb, nl, m.multiplier),
                                    constI64(nb, nl, m.shift), mode);
              };
              Value sum = arith::AddIOp::create(
                  nb, nl, scaled(args[0], a.getZeroPoint(), ma),
                  scaled(args[1], b.getZeroPoint(), mb));
              Value y = buildRescale(nb, nl, sum,
                                     constI64(nb, nl, mo.multiplier),
                                     constI64(nb, nl, mo.shift), mode);
              y = arith::AddIOp::create(nb, nl, y,
                                        constI64(nb, nl, out.getZeroPoint()));
              y = arith::MaxSIOp::create(nb, nl, y, constI64(nb, nl, lo));
              y = arith::MinSIOp::create(nb, nl, y, constI64(nb, nl, hi));
              linalg::YieldOp::create(
                  nb, nl, Value(arith::TruncIOp::create(nb, nl, outElem, y)));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Table lookup, mul, transpose, softmax
//===----------------------------------------------------------------------===//

/// The index of the broadcast operand `shape` in a rank-`rank` result of
/// `resultShape` (numpy rules: size-1 dimensions read index 0).
AffineMap getBroadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                          ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    int64_t d = i + rank - e;
    exprs.push_back(shape[i] == 1 && resultShape[d] != 1
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(d, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// `table[x + 128]` from a 256-entry constant: index arithmetic and one
/// load, no arithmetic on the value itself.
Value buildTableRead(OpBuilder &b, Location loc, Value table, Value index) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  return tensor::ExtractOp::create(b, loc, table, ValueRange{i});
}

/// qnn.lut: one linalg.generic reading the int8 table at `x + 128`.
struct LutLowering : public OpConversionPattern<LutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value table = constTensor<int8_t>(rewriter, loc, op.getTable(),
                                      rewriter.getI8Type());
    int64_t rank = resultType.getRank();
    Value init = emptyLike(rewriter, loc, resultType.getShape(),
                           resultType.getElementType());
    SmallVector<AffineMap> maps(2, AffineMap::getMultiDimIdentityMap(rank, ctx));
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType, adaptor.getInput(), init, maps, iters,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value x = arith::ExtSIOp::create(nb, nl, nb.getI32Type(),
                                               args[0]);
              Value i = arith::AddIOp::create(
                  nb, nl, x,
                  arith::ConstantIntOp::create(nb, nl, nb.getI32Type(), 128));
              linalg::YieldOp::create(nb, nl,
                                      buildTableRead(nb, nl, table, i));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Integer qnn.mul: `(a - zp_a) * (b - zp_b)` in i32 with broadcasting; the
/// requantize that follows is a separate op.
/// qnn.integer_binary: the exact i32 sum or product of the integers
/// (`q - zp`), truncated to 8 bits (modulo 256); UINT8's storage is the
/// result with its top bit flipped (`u - 128`).
struct IntegerBinaryLowering : public OpConversionPattern<IntegerBinaryOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IntegerBinaryOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = perTensor(op.getResult().getType());
    if (!type)
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    int64_t rank = shape.size();
    Type i8 = rewriter.getI8Type();
    Value init = emptyLike(rewriter, loc, shape, i8);
    SmallVector<AffineMap> maps = {
        getBroadcastMap(ctx, op.getLhs().getType().getShape(), shape),
        getBroadcastMap(ctx, op.getRhs().getType().getShape(), shape),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    int64_t zp = type.getZeroPoint();
    bool isAdd = op.getKind() == "add";
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, RankedTensorType::get(shape, i8),
            ValueRange{adaptor.getLhs(), adaptor.getRhs()}, init, maps,
            SmallVector<IteratorType>(rank, IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Type i32 = nb.getI32Type();
              auto integer = [&](Value q) {
                Value v = arith::ExtSIOp::create(nb, nl, i32, q);
                return Value(arith::SubIOp::create(
                    nb, nl, v, arith::ConstantIntOp::create(nb, nl, i32, zp)));
              };
              Value x = integer(args[0]), y = integer(args[1]);
              Value r = isAdd ? Value(arith::AddIOp::create(nb, nl, x, y))
                              : Value(arith::MulIOp::create(nb, nl, x, y));
              Value t = arith::TruncIOp::create(nb, nl, i8, r);
              if (zp != 0)
                t = arith::XOrIOp::create(
                    nb, nl, t, arith::ConstantIntOp::create(nb, nl, i8, -128));
              linalg::YieldOp::create(nb, nl, t);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MulLowering : public OpConversionPattern<MulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto a = perTensor(op.getLhs().getType()),
         b = perTensor(op.getRhs().getType());
    if (!a || !b || !perTensor(op.getResult().getType()))
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    ArrayRef<int64_t> shape = resultType.getShape();
    int64_t rank = resultType.getRank();
    // A rank-0 operand (a scalar) is viewed as [1]: EmitC has no 0-D loads.
    auto atLeast1D = [&](Value v) {
      auto type = cast<RankedTensorType>(v.getType());
      if (type.getRank() > 0 || rank == 0)
        return v;
      return Value(tensor::ExpandShapeOp::create(
          rewriter, loc, type.clone(SmallVector<int64_t>{1}), v,
          SmallVector<ReassociationIndices>{}));
    };
    Value lhs = atLeast1D(adaptor.getLhs()), rhs = atLeast1D(adaptor.getRhs());
    auto shapeOf = [](Value v) {
      return cast<RankedTensorType>(v.getType()).getShape();
    };
    Value init = emptyLike(rewriter, loc, shape, resultType.getElementType());
    SmallVector<AffineMap> maps = {
        getBroadcastMap(ctx, shapeOf(lhs), shape),
        getBroadcastMap(ctx, shapeOf(rhs), shape),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    int64_t za = a.getZeroPoint(), zb = b.getZeroPoint();
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{lhs, rhs}, init, maps,
            iters,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              auto centred = [&](Value x, int64_t zp) {
                Value v = arith::ExtSIOp::create(nb, nl, nb.getI32Type(), x);
                if (zp == 0)
                  return v;
                return Value(arith::SubIOp::create(
                    nb, nl, v,
                    arith::ConstantIntOp::create(nb, nl, nb.getI32Type(),
                                                 zp)));
              };
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::MulIOp::create(nb, nl, centred(args[0], za),
                                              centred(args[1], zb))));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnn.transpose: a linalg.generic whose input map is the permutation.
struct TransposeLowering : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    ArrayRef<int64_t> perm = op.getPerm();
    int64_t rank = perm.size();
    // Input dimension perm[i] is indexed by result dimension i.
    SmallVector<AffineExpr> exprs(rank);
    for (int64_t i = 0; i < rank; ++i)
      exprs[perm[i]] = getAffineDimExpr(i, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, exprs, ctx),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Value init = emptyLike(rewriter, loc, resultType.getShape(),
                           resultType.getElementType());
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType, adaptor.getInput(), init, maps, iters,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl, args[0]);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Integer softmax along the last dimension (docs/IntegerSemantics.md):
/// the row maximum, the int64 sum of E[max - x] from the op's exponent
/// table, then `min(127, (512 * E[max - x] + S) / (2 * S) - 128)`.
struct SoftmaxLowering : public OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!perTensor(op.getInput().getType()) ||
        !perTensor(op.getResult().getType()))
      return failure();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    ArrayRef<int64_t> shape = resultType.getShape();
    int64_t rank = shape.size();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type(),
         i64 = rewriter.getI64Type();
    SmallVector<int32_t> exp32;
    for (int64_t e : op.getExpTable())
      exp32.push_back(static_cast<int32_t>(e));
    Value table = constTensor<int32_t>(rewriter, loc, exp32, i32);

    // Per-row values keep the rank with a dimension of 1 at the axis; a
    // row is the axis extent at one position of the other dimensions.
    int64_t axis = static_cast<int64_t>(op.getAxis());
    SmallVector<int64_t> rowShape(shape);
    rowShape[axis] = 1;
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<AffineExpr> rowExprs;
    for (int64_t d = 0; d < rank; ++d)
      rowExprs.push_back(d == axis ? getAffineConstantExpr(0, ctx)
                                   : getAffineDimExpr(d, ctx));
    AffineMap rowMap = AffineMap::get(rank, 0, rowExprs, ctx);
    SmallVector<IteratorType> reduce(rank, IteratorType::parallel);
    reduce[axis] = IteratorType::reduction;
    SmallVector<IteratorType> parallel(rank, IteratorType::parallel);
    auto filled = [&](Type type, int64_t value) {
      Value init = emptyLike(rewriter, loc, rowShape, type);
      Value c = arith::ConstantIntOp::create(rewriter, loc, type, value);
      return linalg::FillOp::create(rewriter, loc, c, init).getResult(0);
    };
    // E[max - x] as i64.
    auto expOf = [&](OpBuilder &nb, Location nl, Value xv, Value mv) {
      Value d = arith::SubIOp::create(
          nb, nl, arith::ExtSIOp::create(nb, nl, i32, mv),
          arith::ExtSIOp::create(nb, nl, i32, xv));
      return Value(arith::ExtSIOp::create(nb, nl, i64,
                                          buildTableRead(nb, nl, table, d)));
    };

    Value rowMax =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{RankedTensorType::get(rowShape, i8)}, x,
            filled(i8, -128), SmallVector<AffineMap>{identity, rowMap}, reduce,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::MaxSIOp::create(nb, nl, args[0], args[1])));
            })
            .getResult(0);
    Value rowSum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{RankedTensorType::get(rowShape, i64)},
            ValueRange{x, rowMax}, filled(i64, 0),
            SmallVector<AffineMap>{identity, rowMap, rowMap}, reduce,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddIOp::create(
                      nb, nl, args[2], expOf(nb, nl, args[0], args[1]))));
            })
            .getResult(0);
    Value init = emptyLike(rewriter, loc, shape, i8);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{x, rowMax, rowSum}, init,
            SmallVector<AffineMap>{identity, rowMap, rowMap, identity},
            parallel,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value e = expOf(nb, nl, args[0], args[1]);
              Value sum = args[2];
              Value num = arith::AddIOp::create(
                  nb, nl, arith::MulIOp::create(nb, nl, e, constI64(nb, nl, 512)),
                  sum);
              Value den =
                  arith::MulIOp::create(nb, nl, sum, constI64(nb, nl, 2));
              Value q = arith::SubIOp::create(
                  nb, nl, arith::DivSIOp::create(nb, nl, num, den),
                  constI64(nb, nl, 128));
              q = arith::MinSIOp::create(nb, nl, q, constI64(nb, nl, 127));
              linalg::YieldOp::create(
                  nb, nl, Value(arith::TruncIOp::create(nb, nl, i8, q)));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// quant.scast of a constant: the storage constant itself.
struct StorageCastLowering : public OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getInput().getType() !=
        getTypeConverter()->convertType(op.getResult().getType()))
      return failure();
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

bool isFloatTensor(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  return shaped && isa<FloatType>(shaped.getElementType());
}

/// A function argument whose every use quantizes it.
bool isQuantizedInput(BlockArgument arg) {
  return !arg.use_empty() &&
         llvm::all_of(arg.getUsers(), llvm::IsaPred<quant::QuantizeCastOp>);
}

struct LowerToLinalgInt8Pass
    : public quantopt::impl::LowerToLinalgInt8PassBase<LowerToLinalgInt8Pass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Everything on the integer path must already be integer, unless float
    // layers are allowed (FloatLowering.cpp).
    Operation *floatOps[3] = {nullptr, nullptr, nullptr};
    WalkResult check = module.walk([&](Operation *op) {
      if (allowFloat)
        return WalkResult::interrupt();
      if (isa<arith::ConstantOp>(op) && op->use_empty())
        return WalkResult::advance();
      if (auto func = dyn_cast<func::FuncOp>(op)) {
        // A float input only quantized (qcast) or a float output only
        // dequantized (dcast) converts at the boundary, as the API's float
        // entry point does for int8 tensors.
        if (!func.isExternal()) {
          for (BlockArgument arg : func.getArguments())
            if (isFloatTensor(arg.getType()) && !isQuantizedInput(arg)) {
              func.emitError("function input is float after quantization "
                             "and used by other ops than quant.qcast; the "
                             "int8 lowering needs a quantized boundary");
              return WalkResult::interrupt();
            }
          return WalkResult::advance();
        }
        for (Type t : func.getFunctionType().getInputs())
          if (isFloatTensor(t)) {
            func.emitError("function input is float after quantization; the "
                           "int8 lowering needs a quantized boundary");
            return WalkResult::interrupt();
          }
        for (Type t : func.getFunctionType().getResults())
          if (isFloatTensor(t)) {
            func.emitError("function result is float after quantization "
                           "(a float graph output after an integer op is "
                           "not supported yet)");
            return WalkResult::interrupt();
          }
        return WalkResult::advance();
      }
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (Value v : ret.getOperands())
          if (isFloatTensor(v.getType()) &&
              !v.getDefiningOp<quant::DequantizeCastOp>()) {
            ret.emitError("function result is float after quantization "
                          "and not a quant.dcast of an integer value (a "
                          "float graph output after an integer op is not "
                          "supported yet)");
            return WalkResult::interrupt();
          }
        return WalkResult::advance();
      }
      // The boundary dcasts of results (checked above).
      if (isa<quant::DequantizeCastOp>(op) &&
          llvm::all_of(op->getUsers(), llvm::IsaPred<func::ReturnOp>))
        return WalkResult::advance();
      // Report the op that stayed in float rather than the casts and
      // constants around it: a qnn op first, then any other op.
      if (llvm::any_of(op->getResultTypes(), isFloatTensor)) {
        int rank = isa<QnnDialect>(op->getDialect())            ? 0
                   : isa<quant::QuantDialect>(op->getDialect()) ? 2
                   : isa<arith::ConstantOp>(op)                 ? 2
                                                                : 1;
        if (!floatOps[rank])
          floatOps[rank] = op;
      }
      return WalkResult::advance();
    });
    if (check.wasInterrupted() && !allowFloat)
      return signalPassFailure();
    if (allowFloat) {
      // A float op without a float lowering is named, not left to the
      // conversion's generic "failed to legalize".
      WalkResult unsupported = module.walk([](Operation *op) {
        if (!isa<QnnDialect>(op->getDialect()) ||
            !llvm::any_of(op->getResultTypes(), isFloatTensor) ||
            hasFloatLowering(op))
          return WalkResult::advance();
        op->emitOpError("runs in float, and this op has no float lowering "
                        "yet (docs/FloatLayers.md lists the float ops)");
        return WalkResult::interrupt();
      });
      if (unsupported.wasInterrupted())
        return signalPassFailure();
    }
    for (Operation *op : floatOps) {
      if (!op)
        continue;
      op->emitOpError("is still in float after quantization; the int8 "
                      "lowering needs every op quantized");
      return signalPassFailure();
    }

    MLIRContext *ctx = &getContext();
    QuantStorageTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<QnnDialect, quant::QuantDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp op) { return converter.isLegal(op); });
    RewritePatternSet patterns(ctx);
    populateQnnToLinalgInt8Patterns(converter, patterns);
    if (allowFloat)
      populateQnnToLinalgFloatPatterns(converter, patterns);
    else
      populateQuantCastPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::quantopt::populateQnnToLinalgInt8Patterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<ConvLowering, ProductLowering<GemmOp>, ProductLowering<MatMulOp>,
           RequantizeLowering, ConvReluPoolLowering, MaxPoolLowering,
           MaxPoolIndicesLowering, IntegerBinaryLowering,
           ActivationLowering<ReluOp>, ActivationLowering<ClipOp>,
           ReshapeLowering<FlattenOp>, ReshapeLowering<ReshapeOp>, AddLowering,
           AvgPoolLowering, ConcatLowering, StorageCastLowering, LutLowering,
           MulLowering, TransposeLowering, SoftmaxLowering>(
          converter, patterns.getContext());
}
