//===- FloatLowering.cpp - Lower float qnn ops and quant casts ----*- C++
//-*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The float half of qnn-lower-to-linalg-int8: float qnn ops (layers a QDQ
// model or the user left in float, and every op of --quantization=dynamic)
// become linalg.generic ops on f32, mid-graph quant.qcast / quant.dcast
// become elementwise conversions with ONNX QuantizeLinear / DequantizeLinear
// semantics, and qnn.dynamic_gemm quantizes its input at run time. Only
// arith ops: no libm call, no fast-math flag (so no FMA contraction).
//
//===----------------------------------------------------------------------===//

#include "quantopt/Conversion/QnnToLinalg/QnnToLinalg.h"
#include "Padding.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

bool isF32(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && shaped.getElementType().isF32();
}

bool allF32(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), isF32) &&
         llvm::all_of(op->getResultTypes(), isF32);
}

Value constF32(OpBuilder &b, Location loc, float v) {
  return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(v));
}

Value constI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type element) {
  return tensor::EmptyOp::create(b, loc, shape, element);
}

Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value value) {
  return linalg::FillOp::create(
             b, loc, ValueRange{value},
             ValueRange{emptyTensor(b, loc, shape, value.getType())})
      .getResult(0);
}

/// Pads an NCHW f32 tensor spatially with `value`.
Value padSpatialF32(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> pads, float value) {
  return padNCHW(b, loc, input, pads, [&] { return constF32(b, loc, value); });
}

/// The map reading a tensor of `shape` broadcast (numpy rules) to a result
/// of rank `rank` with `resultShape`.
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
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

/// An elementwise linalg.generic over `inputs` (each broadcast to
/// `shape`) producing `element`; `body` maps the scalars to the result.
Value elementwise(OpBuilder &b, Location loc, ValueRange inputs,
                  ArrayRef<int64_t> shape, Type element,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(
        ctx, cast<RankedTensorType>(input.getType()).getShape(), shape));
  maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));
  SmallVector<IteratorType> iters(shape.size(), IteratorType::parallel);
  Value init = emptyTensor(b, loc, shape, element);
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

/// acc + x * w, as two rounded operations (no contraction).
void buildFloatMacBody(OpBuilder &b, Location loc, ValueRange args) {
  Value prod = arith::MulFOp::create(b, loc, args[0], args[1]);
  linalg::YieldOp::create(b, loc,
                          Value(arith::AddFOp::create(b, loc, args[2], prod)));
}

/// ONNX QuantizeLinear of one f32 value into [qmin, qmax]:
/// saturate(round_half_even(x / scale) + zp), NaN -> zp. The rounding is
/// integer (fptosi toward zero of a value clamped to |v| <= 255, then an
/// exact comparison of the fraction), as the entry points of
/// docs/GeneratedAPI.md do; the result is i32.
Value buildQuantizeScalar(OpBuilder &b, Location loc, Value x, Value scale,
                          Value zeroPoint, int64_t qmin, int64_t qmax) {
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) {
    return arith::CmpFOp::create(b, loc, p, l, r);
  };
  auto sel = [&](Value c, Value t, Value f) {
    return arith::SelectOp::create(b, loc, c, t, f);
  };
  Type f32 = b.getF32Type();
  Value v = arith::DivFOp::create(b, loc, x, scale);
  Value zpF = arith::SIToFPOp::create(b, loc, f32, zeroPoint);
  Value lo = arith::SubFOp::create(b, loc, constF32(b, loc, qmin), zpF);
  Value hi = arith::SubFOp::create(b, loc, constF32(b, loc, qmax), zpF);
  v = sel(cmp(arith::CmpFPredicate::UNE, v, v), constF32(b, loc, 0.0f), v);
  v = sel(cmp(arith::CmpFPredicate::OLT, v, lo), lo, v);
  v = sel(cmp(arith::CmpFPredicate::OGT, v, hi), hi, v);
  Value t = arith::FPToSIOp::create(b, loc, b.getI32Type(), v);
  Value frac =
      arith::SubFOp::create(b, loc, v, arith::SIToFPOp::create(b, loc, f32, t));
  Value odd = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, t, constI32(b, loc, 1)),
      constI32(b, loc, 0));
  Value half = constF32(b, loc, 0.5f), minusHalf = constF32(b, loc, -0.5f);
  Value up = arith::OrIOp::create(
      b, loc, cmp(arith::CmpFPredicate::OGT, frac, half),
      arith::AndIOp::create(b, loc, cmp(arith::CmpFPredicate::OEQ, frac, half),
                            odd));
  Value down = arith::OrIOp::create(
      b, loc, cmp(arith::CmpFPredicate::OLT, frac, minusHalf),
      arith::AndIOp::create(
          b, loc, cmp(arith::CmpFPredicate::OEQ, frac, minusHalf), odd));
  Value rounded =
      sel(up, arith::AddIOp::create(b, loc, t, constI32(b, loc, 1)),
          sel(down, arith::SubIOp::create(b, loc, t, constI32(b, loc, 1)), t));
  return arith::AddIOp::create(b, loc, rounded, zeroPoint);
}

/// The zero point of each of the `cols` output columns of a dynamic_gemm
/// weight of type `type` (per tensor or per axis).
SmallVector<int32_t> getWeightZeroPoints(quant::QuantizedType type,
                                         int64_t cols) {
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return llvm::map_to_vector(axis.getZeroPoints(), [](int64_t z) {
      return static_cast<int32_t>(z);
    });
  return SmallVector<int32_t>(
      cols, static_cast<int32_t>(
                cast<quant::UniformQuantizedType>(type).getZeroPoint()));
}

/// The constant f32 values of `v`, if it is a constant.
std::optional<SmallVector<float>> getConstantFloats(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  SmallVector<float> values;
  for (APFloat x : attr.getValues<APFloat>())
    values.push_back(x.convertToFloat());
  return values;
}

//===----------------------------------------------------------------------===//
// Products
//===----------------------------------------------------------------------===//

/// Float NCHW convolution (groups, strides, dilations, pads): the bias
/// broadcast along the channels (or 0) plus sum x * w, accumulated in f32
/// with the loops (n, g, f, c, kh, kw, oh, ow).
struct FloatConvLowering : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = op.getResult().getType();
    ArrayRef<int64_t> as = resultType.getShape();
    Value padded =
        padSpatialF32(rewriter, loc, adaptor.getInput(), op.getPads(), 0.0f);
    Value init;
    if (Value bias = adaptor.getBias()) {
      // The bias broadcast along the channels.
      SmallVector<AffineMap> maps = {
          AffineMap::get(4, 0, getAffineDimExpr(1, ctx)),
          AffineMap::getMultiDimIdentityMap(4, ctx)};
      init = linalg::GenericOp::create(
                 rewriter, loc, resultType, bias,
                 emptyTensor(rewriter, loc, as, rewriter.getF32Type()), maps,
                 SmallVector<IteratorType>(4, IteratorType::parallel),
                 [](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(nb, nl, args[0]);
                 })
                 .getResult(0);
    } else {
      init = filled(rewriter, loc, as, constF32(rewriter, loc, 0.0f));
    }
    rewriter.replaceOp(
        op, buildGroupedConvNCHW(rewriter, loc, padded, adaptor.getFilter(),
                                 init, op.getStrides(), op.getDilations(),
                                 static_cast<int64_t>(op.getGroup()),
                                 buildFloatMacBody));
    return success();
  }
};

/// sum_k a[m, k] * b[k, n] (operands transposed as asked), accumulated from
/// 0 in f32.
Value buildFloatProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                        bool transA, bool transB, ArrayRef<int64_t> shape) {
  MLIRContext *ctx = b.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(3, 0,
                     transA ? ArrayRef<AffineExpr>{k, m}
                            : ArrayRef<AffineExpr>{m, k},
                     ctx),
      AffineMap::get(3, 0,
                     transB ? ArrayRef<AffineExpr>{n, k}
                            : ArrayRef<AffineExpr>{k, n},
                     ctx),
      AffineMap::get(3, 0, {m, n}, ctx)};
  SmallVector<IteratorType> iters = {
      IteratorType::parallel, IteratorType::parallel, IteratorType::reduction};
  Value init = filled(b, loc, shape, constF32(b, loc, 0.0f));
  return linalg::GenericOp::create(b, loc, init.getType(), ValueRange{lhs, rhs},
                                   init, maps, iters, buildFloatMacBody)
      .getResult(0);
}

/// Gemm: alpha * (op(a) op(b)) + beta * c, with c broadcast; a factor of 1
/// is not multiplied.
struct FloatGemmLowering : public OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    Value y = buildFloatProduct(rewriter, loc, adaptor.getA(), adaptor.getB(),
                                op.getTransA(), op.getTransB(), shape);
    float alpha = op.getAlpha().convertToFloat();
    float beta = op.getBeta().convertToFloat();
    SmallVector<Value> inputs = {y};
    if (adaptor.getC() && beta != 0.0f)
      inputs.push_back(adaptor.getC());
    if (alpha != 1.0f || inputs.size() > 1)
      y = elementwise(
          rewriter, loc, inputs, shape, rewriter.getF32Type(),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value v = args[0];
            if (alpha != 1.0f)
              v = arith::MulFOp::create(nb, nl, v, constF32(nb, nl, alpha));
            if (args.size() > 1) {
              Value c = args[1];
              if (beta != 1.0f)
                c = arith::MulFOp::create(nb, nl, c, constF32(nb, nl, beta));
              v = arith::AddFOp::create(nb, nl, v, c);
            }
            return v;
          });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct FloatMatMulLowering : public OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    // Batch dimensions broadcast; the reduction k is innermost.
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    SmallVector<AffineMap> maps = getMatMulIndexingMaps(
        rewriter.getContext(), op.getLhs().getType().getShape(),
        op.getRhs().getType().getShape(), shape);
    SmallVector<IteratorType> iters(shape.size(), IteratorType::parallel);
    iters.push_back(IteratorType::reduction);
    Location loc = op.getLoc();
    Value init = filled(rewriter, loc, shape, constF32(rewriter, loc, 0.0f));
    rewriter.replaceOp(op, linalg::GenericOp::create(
                               rewriter, loc, init.getType(),
                               ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                               init, maps, iters, buildFloatMacBody)
                               .getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

/// Relu: x > 0 ? x : 0 (unordered compare, so NaN propagates).
struct FloatReluLowering : public OpConversionPattern<ReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), adaptor.getInput(),
                        op.getType().getShape(), rewriter.getF32Type(),
                        [](OpBuilder &nb, Location nl, ValueRange args) {
                          Value zero = constF32(nb, nl, 0.0f);
                          Value pos = arith::CmpFOp::create(
                              nb, nl, arith::CmpFPredicate::UGT, args[0], zero);
                          return Value(arith::SelectOp::create(nb, nl, pos,
                                                               args[0], zero));
                        }));
    return success();
  }
};

/// Clip: x < min ? min : x, then > max ? max : x.
struct FloatClipLowering : public OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    std::optional<float> lo, hi;
    if (auto min = op.getMinAttr())
      lo = min.getValue().convertToFloat();
    if (auto max = op.getMaxAttr())
      hi = max.getValue().convertToFloat();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), adaptor.getInput(),
                        op.getType().getShape(), rewriter.getF32Type(),
                        [&](OpBuilder &nb, Location nl, ValueRange args) {
                          Value v = args[0];
                          auto bound = [&](float b, arith::CmpFPredicate p) {
                            Value c = constF32(nb, nl, b);
                            v = arith::SelectOp::create(
                                nb, nl, arith::CmpFOp::create(nb, nl, p, v, c),
                                c, v);
                          };
                          if (lo)
                            bound(*lo, arith::CmpFPredicate::OLT);
                          if (hi)
                            bound(*hi, arith::CmpFPredicate::OGT);
                          return v;
                        }));
    return success();
  }
};

/// Add and Mul with numpy broadcasting: `ArithOp` on f32 elements.
template <typename OpTy, typename ArithOp>
struct FloatBroadcastLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    rewriter.replaceOp(
        op, elementwise(
                rewriter, op.getLoc(),
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                op.getResult().getType().getShape(), rewriter.getF32Type(),
                [](OpBuilder &nb, Location nl, ValueRange args) {
                  return Value(ArithOp::create(nb, nl, args[0], args[1]));
                }));
    return success();
  }
};
using FloatAddLowering = FloatBroadcastLowering<AddOp, arith::AddFOp>;
using FloatMulLowering = FloatBroadcastLowering<MulOp, arith::MulFOp>;

/// The pointwise functions that need no libm, in float32 as
/// UnaryOp::evaluate computes them (std::min(1, t) is `t < 1 ? t : 1`,
/// std::max(0, m) is `0 < m ? m : 0`). Sigmoid and tanh need exp: they
/// have no float lowering (hasFloatLowering).
struct FloatUnaryLowering : public OpConversionPattern<UnaryOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UnaryOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    StringRef fn = op.getFunction();
    if (!allF32(op) || !hasFloatLowering(op))
      return failure();
    float alpha = op.getAlpha().convertToFloat();
    float beta = op.getBeta().convertToFloat();
    rewriter.replaceOp(
        op,
        elementwise(
            rewriter, op.getLoc(), adaptor.getInput(), op.getType().getShape(),
            rewriter.getF32Type(),
            [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
              Value x = args[0];
              auto less = [&](Value a, Value b) {
                return arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT,
                                             a, b);
              };
              // max(0, min(1, t)) as std::max / std::min evaluate it.
              auto unitClamp = [&](Value t) {
                Value one = constF32(nb, nl, 1.0f),
                      zero = constF32(nb, nl, 0.0f);
                Value m = arith::SelectOp::create(nb, nl, less(t, one), t, one);
                return Value(
                    arith::SelectOp::create(nb, nl, less(zero, m), m, zero));
              };
              if (fn == "leaky_relu") {
                Value nonNeg =
                    arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGE, x,
                                          constF32(nb, nl, 0.0f));
                Value scaled =
                    arith::MulFOp::create(nb, nl, constF32(nb, nl, alpha), x);
                return arith::SelectOp::create(nb, nl, nonNeg, x, scaled);
              }
              if (fn == "hard_sigmoid") {
                Value t =
                    arith::MulFOp::create(nb, nl, constF32(nb, nl, alpha), x);
                t = arith::AddFOp::create(nb, nl, t, constF32(nb, nl, beta));
                return unitClamp(t);
              }
              // hard_swish: x * max(0, min(1, x / 6 + 0.5)).
              Value t =
                  arith::DivFOp::create(nb, nl, x, constF32(nb, nl, 6.0f));
              t = arith::AddFOp::create(nb, nl, t, constF32(nb, nl, 0.5f));
              return arith::MulFOp::create(nb, nl, x, unitClamp(t));
            }));
    return success();
  }
};

/// Inference batch normalization with constant parameters:
/// (x - mean[c]) * k[c] + bias[c], k = scale / sqrt(var + eps) computed at
/// compile time in double and rounded to f32 (as qnn-fold-batchnorm does).
struct FloatBatchNormLowering : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    auto scale = getConstantFloats(op.getScale());
    auto bias = getConstantFloats(op.getBias());
    auto mean = getConstantFloats(op.getMean());
    auto var = getConstantFloats(op.getVariance());
    if (!scale || !bias || !mean || !var)
      return op.emitOpError("needs constant scale, bias, mean and variance "
                            "to run in float");
    double eps = op.getEpsilon().convertToFloat();
    SmallVector<float> k;
    for (auto [s, v] : llvm::zip(*scale, *var))
      k.push_back(static_cast<float>(double(s) / std::sqrt(double(v) + eps)));
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto table = [&](ArrayRef<float> values) {
      auto type = RankedTensorType::get({(int64_t)values.size()},
                                        rewriter.getF32Type());
      return arith::ConstantOp::create(rewriter, loc,
                                       DenseElementsAttr::get(type, values))
          .getResult();
    };
    auto type = op.getResult().getType();
    int64_t rank = type.getRank();
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, type,
            ValueRange{adaptor.getInput(), table(*mean), table(k),
                       table(*bias)},
            emptyTensor(rewriter, loc, type.getShape(), rewriter.getF32Type()),
            SmallVector<AffineMap>{id, channel, channel, channel, id},
            SmallVector<IteratorType>(rank, IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Value v = arith::SubFOp::create(nb, nl, args[0], args[1]);
              v = arith::MulFOp::create(nb, nl, v, args[2]);
              linalg::YieldOp::create(
                  nb, nl, Value(arith::AddFOp::create(nb, nl, v, args[3])));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// A pooling reduction over kernel windows of the padded input, loops
/// (n, c, oh, ow, kh, kw); `combine(acc, x)` folds one element.
Value buildFloatPool(
    OpBuilder &b, Location loc, Value padded, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
    ArrayRef<int64_t> dilations = {1, 1}) {
  MLIRContext *ctx = b.getContext();
  Value window = emptyTensor(b, loc, kernel, b.getF32Type());
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
      IteratorType::parallel, IteratorType::parallel,  IteratorType::parallel,
      IteratorType::parallel, IteratorType::reduction, IteratorType::reduction};
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{padded, window}, init, maps,
             iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[2], args[0]));
             })
      .getResult(0);
}

/// Max pooling; padding is the lowest finite float, so it never wins over
/// a real element.
struct FloatMaxPoolLowering : public OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    Location loc = op.getLoc();
    float lowest = std::numeric_limits<float>::lowest();
    Value padded =
        padSpatialF32(rewriter, loc, adaptor.getInput(), op.getPads(), lowest);
    Value init = filled(rewriter, loc, op.getResult().getType().getShape(),
                        constF32(rewriter, loc, lowest));
    rewriter.replaceOp(
        op, buildFloatPool(
                rewriter, loc, padded, op.getKernelShape(), op.getStrides(),
                init,
                [](OpBuilder &nb, Location nl, Value acc, Value x) {
                  Value gt = arith::CmpFOp::create(
                      nb, nl, arith::CmpFPredicate::UGT, x, acc);
                  return Value(arith::SelectOp::create(nb, nl, gt, x, acc));
                },
                op.getDilationsOrOnes()));
    return success();
  }
};

/// Average pooling: the f32 sum over the zero-padded window divided by the
/// window size of each output position (op.getDivisors()).
struct FloatAvgPoolLowering : public OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!allF32(op))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> outShape = op.getResult().getType().getShape();
    Value padded =
        padSpatialF32(rewriter, loc, adaptor.getInput(), op.getPads(), 0.0f);
    Value init = filled(rewriter, loc, outShape, constF32(rewriter, loc, 0.0f));
    Value sum = buildFloatPool(
        rewriter, loc, padded, op.getKernelShape(), op.getStrides(), init,
        [](OpBuilder &nb, Location nl, Value acc, Value x) {
          return Value(arith::AddFOp::create(nb, nl, acc, x));
        });
    SmallVector<int64_t> divisors = op.getDivisors();
    SmallVector<float> table(divisors.begin(), divisors.end());
    auto tableType = RankedTensorType::get({outShape[2], outShape[3]},
                                           rewriter.getF32Type());
    Value divisorTable = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef(table)));
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap position = AffineMap::get(
        4, 0, {getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, op.getResult().getType(),
            ValueRange{sum, divisorTable},
            emptyTensor(rewriter, loc, outShape, rewriter.getF32Type()),
            SmallVector<AffineMap>{id, position, id},
            SmallVector<IteratorType>(4, IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::DivFOp::create(nb, nl, args[0], args[1])));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// quant.qcast / quant.dcast between int8 and float layers
//===----------------------------------------------------------------------===//

/// The quantization parameters of a qcast / dcast as linalg.generic
/// operands: per tensor, the scalar scale and zero point; per axis, [n]
/// tables of each appended to `inputs` (with their indexing maps along the
/// axis to `maps`), which the body reads as arguments 1 and 2.
struct QuantParamOperands {
  float scale = 1.0f;
  int64_t zeroPoint = 0;
  bool perAxis = false;
};

static QuantParamOperands
appendQuantParams(OpBuilder &b, Location loc, quant::QuantizedType quantType,
                  int64_t rank, SmallVectorImpl<Value> &inputs,
                  SmallVectorImpl<AffineMap> &maps) {
  QuantParamOperands params;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantType);
  if (!perAxis) {
    auto uniform = cast<quant::UniformQuantizedType>(quantType);
    params.scale = static_cast<float>(uniform.getScale());
    params.zeroPoint = uniform.getZeroPoint();
    return params;
  }
  params.perAxis = true;
  SmallVector<float> scales;
  for (double s : perAxis.getScales())
    scales.push_back(static_cast<float>(s));
  SmallVector<int32_t> zps;
  for (int64_t z : perAxis.getZeroPoints())
    zps.push_back(static_cast<int32_t>(z));
  int64_t n = scales.size();
  inputs.push_back(arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, b.getF32Type()),
                             ArrayRef(scales))));
  inputs.push_back(arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, b.getI32Type()),
                             ArrayRef(zps))));
  AffineMap axis =
      AffineMap::get(rank, 0,
                     getAffineDimExpr(perAxis.getQuantizedDimension(),
                                      b.getContext()));
  maps.append({axis, axis});
  return params;
}

/// An elementwise linalg.generic from `input` to `resultType` whose body
/// gets each element with its scale (f32) and zero point (i32): constants
/// per tensor, table entries per axis.
static Value buildWithQuantParams(
    OpBuilder &b, Location loc, Value input, quant::QuantizedType quantType,
    RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(rank, b.getContext())};
  QuantParamOperands params =
      appendQuantParams(b, loc, quantType, rank, inputs, maps);
  maps.push_back(maps.front());
  Value init = emptyTensor(b, loc, resultType.getShape(),
                           resultType.getElementType());
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps,
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value scale = params.perAxis ? args[1]
                                            : constF32(nb, nl, params.scale);
               Value zp = params.perAxis
                              ? args[2]
                              : constI32(nb, nl, params.zeroPoint);
               linalg::YieldOp::create(nb, nl, body(nb, nl, args[0], scale, zp));
             })
      .getResult(0);
}

/// quant.qcast f32 -> int8 (or int16), per tensor or per axis: ONNX
/// QuantizeLinear.
struct QuantizeCastLowering
    : public OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::QuantizedType type = getQuantElementType(op.getResult().getType());
    if (!type || !isF32(op.getInput().getType()) ||
        type.getStorageTypeIntegralWidth() > 16)
      return op.emitOpError("converts to ")
             << op.getResult().getType()
             << "; only quantization of f32 to up to 16 bits is supported "
                "between float and integer layers";
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    int64_t qmin = type.getStorageTypeMin(), qmax = type.getStorageTypeMax();
    Type storage = resultType.getElementType();
    Value result = buildWithQuantParams(
        rewriter, op.getLoc(), adaptor.getInput(), type, resultType,
        [&](OpBuilder &nb, Location nl, Value x, Value scale, Value zp) {
          Value q = buildQuantizeScalar(nb, nl, x, scale, zp, qmin, qmax);
          if (storage != q.getType())
            q = arith::TruncIOp::create(nb, nl, storage, q);
          return q;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// quant.dcast int8 (or i32) -> f32: (float)(q - zp) * scale, per tensor
/// or per axis.
struct DequantizeCastLowering
    : public OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::QuantizedType quantType =
        getQuantElementType(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    if (!quantType || !isF32(resultType) ||
        quantType.getStorageTypeIntegralWidth() > 32)
      return op.emitOpError("converts from ")
             << op.getInput().getType()
             << "; only quantized tensors of up to 32 bits can feed a float "
                "layer";
    // Per tensor: scalar constants. Per axis (a weight a float layer
    // reads, a per-axis output): scale and zero point tables along the axis.
    Value result = buildWithQuantParams(
        rewriter, op.getLoc(), adaptor.getInput(), quantType, resultType,
        [&](OpBuilder &nb, Location nl, Value q, Value scale, Value zp) {
          if (q.getType() != nb.getI32Type())
            q = arith::ExtSIOp::create(nb, nl, nb.getI32Type(), q);
          q = arith::SubIOp::create(nb, nl, q, zp);
          Value f = arith::SIToFPOp::create(nb, nl, nb.getF32Type(), q);
          return Value(arith::MulFOp::create(nb, nl, f, scale));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Dynamic quantization
//===----------------------------------------------------------------------===//

/// The run-time quantization of ONNX DynamicQuantizeLinear, re-centred to
/// int8: the scale ([1] f32), the zero point ([1] i32, zp - 128) and the
/// int8 tensor q of `x` (any rank).
struct RunTimeQuantization {
  Value scale, zeroPoint, q;
};

RunTimeQuantization buildRunTimeQuantization(OpBuilder &rewriter,
                                             Location loc, Value x) {
  MLIRContext *ctx = rewriter.getContext();
  Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type(),
       i8 = rewriter.getI8Type();
  ArrayRef<int64_t> xShape = cast<RankedTensorType>(x.getType()).getShape();
  unsigned rank = xShape.size();
  // min(0, min(x)) and max(0, max(x)) as [1] tensors (a rank-0 buffer
  // has no C spelling).
  AffineMap toScalar =
      AffineMap::get(rank, 0, getAffineConstantExpr(0, ctx));
  AffineMap idN = AffineMap::getMultiDimIdentityMap(rank, ctx);
  auto reduce = [&](arith::CmpFPredicate pred) {
    Value init = filled(rewriter, loc, {1}, constF32(rewriter, loc, 0.0f));
    return linalg::GenericOp::create(
               rewriter, loc, init.getType(), x, init,
               SmallVector<AffineMap>{idN, toScalar},
               SmallVector<IteratorType>(rank, IteratorType::reduction),
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 Value take =
                     arith::CmpFOp::create(nb, nl, pred, args[0], args[1]);
                 linalg::YieldOp::create(
                     nb, nl,
                     Value(arith::SelectOp::create(nb, nl, take, args[0],
                                                   args[1])));
               })
        .getResult(0);
  };
  Value xMin = reduce(arith::CmpFPredicate::OLT);
  Value xMax = reduce(arith::CmpFPredicate::OGT);

  // scale = (max - min) / 255; zp = saturate(round(0 - min / scale)) in
  // [0, 255], re-centred to int8 (- 128). A zero range (x all zero) gets
  // scale 1 and zero point 0 (-128): every q is then the zero point.
  AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, ctx);
  auto params = linalg::GenericOp::create(
      rewriter, loc,
      TypeRange{xMin.getType(), RankedTensorType::get({1}, i32)},
      ValueRange{xMin, xMax},
      ValueRange{emptyTensor(rewriter, loc, {1}, f32),
                 emptyTensor(rewriter, loc, {1}, i32)},
      SmallVector<AffineMap>(4, id1),
      SmallVector<IteratorType>{IteratorType::parallel},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value range = arith::SubFOp::create(nb, nl, args[1], args[0]);
        Value s =
            arith::DivFOp::create(nb, nl, range, constF32(nb, nl, 255.0f));
        Value isZero = arith::CmpFOp::create(
            nb, nl, arith::CmpFPredicate::OEQ, s, constF32(nb, nl, 0.0f));
        s = arith::SelectOp::create(nb, nl, isZero, constF32(nb, nl, 1.0f),
                                    s);
        // round_half_even(saturate(0 - min / s)) over [0, 255] is the
        // QuantizeLinear of -min with this scale and zero point 0.
        Value negMin =
            arith::SubFOp::create(nb, nl, constF32(nb, nl, 0.0f), args[0]);
        Value zp = buildQuantizeScalar(nb, nl, negMin, s, constI32(nb, nl, 0),
                                       0, 255);
        zp = arith::SubIOp::create(nb, nl, zp, constI32(nb, nl, 128));
        linalg::YieldOp::create(nb, nl, ValueRange{s, zp});
      });
  Value scale = params.getResult(0), zeroPoint = params.getResult(1);

  // q = saturate(round(x / scale) + zp) in int8.
  Value q = linalg::GenericOp::create(
                rewriter, loc, RankedTensorType::get(xShape, i8),
                ValueRange{x, scale, zeroPoint},
                emptyTensor(rewriter, loc, xShape, i8),
                SmallVector<AffineMap>{idN, toScalar, toScalar, idN},
                SmallVector<IteratorType>(rank, IteratorType::parallel),
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  Value v = buildQuantizeScalar(nb, nl, args[0], args[1],
                                                args[2], -128, 127);
                  linalg::YieldOp::create(
                      nb, nl, Value(arith::TruncIOp::create(nb, nl, i8, v)));
                })
                .getResult(0);
  return {scale, zeroPoint, q};
}

/// qnn.dynamic_quantize: the run-time quantization itself; the [1] scale
/// and zero point become the op's scalars (the zero point truncated to its
/// int8 storage).
struct DynamicQuantizeLowering
    : public OpConversionPattern<DynamicQuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RunTimeQuantization rtq =
        buildRunTimeQuantization(rewriter, loc, adaptor.getInput());
    Type i8 = rewriter.getI8Type();
    auto i8Scalar = RankedTensorType::get({}, i8);
    Value zp8 = elementwise(
        rewriter, loc, rtq.zeroPoint, {1}, i8,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          return Value(arith::TruncIOp::create(nb, nl, i8, args[0]));
        });
    SmallVector<ReassociationIndices> toScalar;
    Value scale = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getScale().getType(), rtq.scale, toScalar);
    Value zp = tensor::CollapseShapeOp::create(rewriter, loc, i8Scalar, zp8,
                                               toScalar);
    rewriter.replaceOp(op, {rtq.q, scale, zp});
    return success();
  }
};

/// qnn.dynamic_gemm: min/max reductions of the input, the
/// DynamicQuantizeLinear parameters, the int8 input, the i32 product with
/// the zero point folded into the init (-zp * colsum(w)), and the f32
/// result acc * (s_x * s_w[n]) + bias[n].
struct DynamicGemmLowering : public OpConversionPattern<DynamicGemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicGemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    Value x = adaptor.getInput();
    ArrayRef<int64_t> xShape = op.getInput().getType().getShape();
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    int64_t cols = shape[1];
    bool transB = op.getTransB();
    auto wQuant = getQuantElementType(op.getWeight().getType());
    SmallVector<double> wScales = getScales(wQuant);

    // The weight storage, for the column sums.
    Value wStorage = op.getWeight();
    if (auto scast = wStorage.getDefiningOp<quant::StorageCastOp>())
      wStorage = scast.getInput();
    DenseIntElementsAttr wAttr;
    if (!matchPattern(wStorage, m_Constant(&wAttr)))
      return op.emitOpError("expects a constant weight");
    SmallVector<int32_t> colSum(cols, 0);
    ArrayRef<int64_t> wShape = op.getWeight().getType().getShape();
    int64_t idx = 0;
    for (APInt v : wAttr.getValues<APInt>()) {
      int64_t row = idx / wShape[1], col = idx % wShape[1];
      colSum[transB ? row : col] += static_cast<int32_t>(v.getSExtValue());
      ++idx;
    }

    RunTimeQuantization rtq = buildRunTimeQuantization(rewriter, loc, x);
    Value scale = rtq.scale, zeroPoint = rtq.zeroPoint, q = rtq.q;
    AffineMap toScalar = AffineMap::get(2, 0, getAffineConstantExpr(0, ctx));
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);

    // acc = -zp * colsum(w)[n] + sum_k q[m, k] * w[k, n].
    auto colSumType = RankedTensorType::get({cols}, i32);
    Value colSums = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(colSumType, ArrayRef(colSum)));
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
    AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
    SmallVector<int32_t> wZp = getWeightZeroPoints(wQuant, cols);
    Value accInit;
    if (llvm::all_of(wZp, [](int32_t z) { return z == 0; })) {
      accInit = linalg::GenericOp::create(
                    rewriter, loc, RankedTensorType::get(shape, i32),
                    ValueRange{zeroPoint, colSums},
                    emptyTensor(rewriter, loc, shape, i32),
                    SmallVector<AffineMap>{toScalar, column, id2},
                    SmallVector<IteratorType>(2, IteratorType::parallel),
                    [](OpBuilder &nb, Location nl, ValueRange args) {
                      Value negZp = arith::SubIOp::create(
                          nb, nl, constI32(nb, nl, 0), args[0]);
                      linalg::YieldOp::create(
                          nb, nl,
                          Value(arith::MulIOp::create(nb, nl, negZp, args[1])));
                    })
                    .getResult(0);
    } else {
      // With weight zero points zw[n]:
      //   sum_k (q - zp) * (w - zw) = sum_k q * w - zw[n] * rowsum(q)[m]
      //                               + zp * (K * zw[n] - colsum(w)[n]),
      // the row sums of the int8 input reduced at run time. Every term is
      // exact modulo 2^32, so the sum is exact when acc fits in int32.
      int64_t depth = xShape[1];
      SmallVector<int32_t> kZw;
      for (int32_t z : wZp)
        kZw.push_back(static_cast<int32_t>(depth * z));
      Value rowSums =
          linalg::GenericOp::create(
              rewriter, loc, RankedTensorType::get({shape[0]}, i32), q,
              filled(rewriter, loc, {shape[0]}, constI32(rewriter, loc, 0)),
              SmallVector<AffineMap>{id2, row},
              SmallVector<IteratorType>{IteratorType::parallel,
                                        IteratorType::reduction},
              [](OpBuilder &nb, Location nl, ValueRange args) {
                Value v =
                    arith::ExtSIOp::create(nb, nl, nb.getI32Type(), args[0]);
                linalg::YieldOp::create(
                    nb, nl, Value(arith::AddIOp::create(nb, nl, args[1], v)));
              })
              .getResult(0);
      auto constCols = [&](ArrayRef<int32_t> v) -> Value {
        return arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(colSumType, v));
      };
      accInit =
          linalg::GenericOp::create(
              rewriter, loc, RankedTensorType::get(shape, i32),
              ValueRange{zeroPoint, colSums, constCols(wZp), constCols(kZw),
                         rowSums},
              emptyTensor(rewriter, loc, shape, i32),
              SmallVector<AffineMap>{toScalar, column, column, column, row,
                                     id2},
              SmallVector<IteratorType>(2, IteratorType::parallel),
              [](OpBuilder &nb, Location nl, ValueRange args) {
                // zp * (K * zw - colsum) - zw * rowsum
                Value t = arith::SubIOp::create(nb, nl, args[3], args[1]);
                t = arith::MulIOp::create(nb, nl, args[0], t);
                Value r = arith::MulIOp::create(nb, nl, args[2], args[4]);
                linalg::YieldOp::create(
                    nb, nl, Value(arith::SubIOp::create(nb, nl, t, r)));
              })
              .getResult(0);
    }
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> macMaps = {
        AffineMap::get(3, 0, {m, k}, ctx),
        AffineMap::get(3, 0,
                       transB ? ArrayRef<AffineExpr>{n, k}
                              : ArrayRef<AffineExpr>{k, n},
                       ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, accInit.getType(),
            ValueRange{q, adaptor.getWeight()}, accInit, macMaps,
            SmallVector<IteratorType>{IteratorType::parallel,
                                      IteratorType::parallel,
                                      IteratorType::reduction},
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Value a =
                  arith::ExtSIOp::create(nb, nl, nb.getI32Type(), args[0]);
              Value w =
                  arith::ExtSIOp::create(nb, nl, nb.getI32Type(), args[1]);
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddIOp::create(
                      nb, nl, args[2], arith::MulIOp::create(nb, nl, a, w))));
            })
            .getResult(0);

    // y = (float)acc * (s_x * s_w[n]) + bias[n].
    SmallVector<float> wScale32;
    for (int64_t c = 0; c < cols; ++c)
      wScale32.push_back(
          static_cast<float>(wScales.size() == 1 ? wScales[0] : wScales[c]));
    auto colF32 = RankedTensorType::get({cols}, f32);
    SmallVector<Value> inputs = {
        acc, scale,
        arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(colF32, ArrayRef(wScale32)))};
    SmallVector<AffineMap> maps = {id2, toScalar, column};
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(column);
    }
    maps.push_back(id2);
    bool hasBias = static_cast<bool>(adaptor.getBias());
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, op.getResult().getType(), inputs,
            emptyTensor(rewriter, loc, shape, f32), maps,
            SmallVector<IteratorType>(2, IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value a =
                  arith::SIToFPOp::create(nb, nl, nb.getF32Type(), args[0]);
              Value mult = arith::MulFOp::create(nb, nl, args[1], args[2]);
              Value y = arith::MulFOp::create(nb, nl, a, mult);
              if (hasBias)
                y = arith::AddFOp::create(nb, nl, y, args[3]);
              linalg::YieldOp::create(nb, nl, y);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnn.dynamic_conv: the input padded with 0.0 (which quantizes to the
/// zero point), its run-time quantization, the grouped i32 convolution
/// sum (q - zp) * (w - zp_w[f]) and the f32 result acc * (s_x * s_w[f]).
struct DynamicConvLowering : public OpConversionPattern<DynamicConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    auto resultType = op.getResult().getType();
    ArrayRef<int64_t> as = resultType.getShape();
    auto wType = cast<RankedTensorType>(op.getFilter().getType());
    ArrayRef<int64_t> ws = wType.getShape();
    auto wQuant = getQuantElementType(wType);
    SmallVector<double> wScales = getScales(wQuant);
    SmallVector<int32_t> wZp = getWeightZeroPoints(wQuant, ws[0]);
    int64_t group = static_cast<int64_t>(op.getGroup());
    int64_t fg = ws[0] / group, cg = ws[1];

    // The padding is real 0: DynamicQuantizeLinear's range always holds 0,
    // so padding first changes neither the scale nor the zero point, and
    // the padded elements quantize to the zero point exactly.
    Value padded =
        padSpatialF32(rewriter, loc, adaptor.getInput(), op.getPads(), 0.0f);
    RunTimeQuantization rtq = buildRunTimeQuantization(rewriter, loc, padded);

    Value filter = adaptor.getFilter();
    Value groupedFilter = tensor::ExpandShapeOp::create(
        rewriter, loc,
        cast<RankedTensorType>(filter.getType())
            .clone(SmallVector<int64_t>{group, fg, cg, ws[2], ws[3]}),
        filter, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    auto zwType = RankedTensorType::get({group, fg}, i32);
    Value zw = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(zwType, ArrayRef(wZp)));
    auto groupedAccType = RankedTensorType::get(
        SmallVector<int64_t>{as[0], group, fg, as[2], as[3]}, i32);
    Value init = filled(rewriter, loc, groupedAccType.getShape(),
                        constI32(rewriter, loc, 0));
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    // Maps of input, filter, the input's run-time zero point (a scalar) and
    // the weight zero points (per group and filter), then the output.
    qnn::GroupedConvIndexing indexing =
        qnn::getGroupedConvIndexing(ctx, cg, strides, dilations);
    AffineExpr g = getAffineDimExpr(1, ctx), f = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {
        indexing.maps[0], indexing.maps[1],
        AffineMap::get(8, 0, getAffineConstantExpr(0, ctx)),
        AffineMap::get(8, 0, {g, f}, ctx), indexing.maps[2]};
    SmallVector<IteratorType> iters = indexing.iterators;
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, groupedAccType,
            ValueRange{rtq.q, groupedFilter, rtq.zeroPoint, zw}, init, maps,
            iters,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Type t = nb.getI32Type();
              Value a = arith::SubIOp::create(
                  nb, nl, arith::ExtSIOp::create(nb, nl, t, args[0]), args[2]);
              Value w = arith::SubIOp::create(
                  nb, nl, arith::ExtSIOp::create(nb, nl, t, args[1]), args[3]);
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddIOp::create(
                      nb, nl, args[4], arith::MulIOp::create(nb, nl, a, w))));
            })
            .getResult(0);
    acc = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get(as, i32), acc,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});

    // y = (float)acc * (s_x * s_w[f]).
    SmallVector<float> wScale32;
    for (int64_t i = 0; i < ws[0]; ++i)
      wScale32.push_back(
          static_cast<float>(wScales.size() == 1 ? wScales[0] : wScales[i]));
    auto channelF32 = RankedTensorType::get({ws[0]}, f32);
    Value channelScales = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(channelF32, ArrayRef(wScale32)));
    AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<AffineMap> outMaps = {
        id4, AffineMap::get(4, 0, getAffineConstantExpr(0, ctx)),
        AffineMap::get(4, 0, getAffineDimExpr(1, ctx)), id4};
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType,
            ValueRange{acc, rtq.scale, channelScales},
            emptyTensor(rewriter, loc, as, f32), outMaps,
            SmallVector<IteratorType>(4, IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Value a =
                  arith::SIToFPOp::create(nb, nl, nb.getF32Type(), args[0]);
              Value mult = arith::MulFOp::create(nb, nl, args[1], args[2]);
              linalg::YieldOp::create(
                  nb, nl, Value(arith::MulFOp::create(nb, nl, a, mult)));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::quantopt::populateQuantCastPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeCastLowering, DequantizeCastLowering>(
      converter, patterns.getContext());
}

bool mlir::quantopt::hasFloatLowering(Operation *op) {
  if (auto unary = dyn_cast<UnaryOp>(op))
    return llvm::is_contained({"leaky_relu", "hard_sigmoid", "hard_swish"},
                              unary.getFunction());
  // Transpose: the integer pattern moves elements of any type.
  return isa<ConvOp, GemmOp, MatMulOp, ReluOp, ClipOp, AddOp, MulOp,
             BatchNormOp, MaxPoolOp, AvgPoolOp, ConcatOp, FlattenOp, ReshapeOp,
             TransposeOp, DynamicGemmOp, DynamicConvOp, DynamicQuantizeOp>(op);
}

void mlir::quantopt::populateQnnToLinalgFloatPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<FloatConvLowering, FloatGemmLowering, FloatMatMulLowering,
               FloatReluLowering, FloatClipLowering, FloatAddLowering,
               FloatMulLowering, FloatUnaryLowering, FloatBatchNormLowering,
               FloatMaxPoolLowering, FloatAvgPoolLowering, QuantizeCastLowering,
               DequantizeCastLowering, DynamicGemmLowering,
               DynamicConvLowering, DynamicQuantizeLowering>(
      converter, patterns.getContext());
}
