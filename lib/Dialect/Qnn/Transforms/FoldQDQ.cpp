//===- FoldQDQ.cpp - Fold dcast -> op -> qcast into integer ops ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Rewrites the QDQ form (float qnn ops between quant.dcast and quant.qcast)
// into the integer form: int8 products with an int32 accumulator, explicit
// qnn.requantize ops, and quantized types at the function boundary.
//
//===----------------------------------------------------------------------===//

#include "Int16.h"

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_FOLDQDQPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

/// Returns the quantized value `v` is dequantized from, or null.
static Value getDequantizedSource(Value v) {
  if (auto dcast = v.getDefiningOp<quant::DequantizeCastOp>())
    return dcast.getInput();
  return nullptr;
}

/// The per-tensor int8 type of `v`, or null.
static quant::UniformQuantizedType getPerTensorInt8(Value v) {
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(v.getType()));
  if (!type || type.getStorageTypeIntegralWidth() != 8)
    return nullptr;
  return type;
}

/// The per-tensor int8 type of `v`, or its per-tensor int16 type with zero
/// point 0 (16x8 activations), or null.
static quant::UniformQuantizedType getPerTensorInt8Or16(Value v) {
  if (auto type = getPerTensorInt8(v))
    return type;
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(v.getType()));
  if (!type || type.getStorageTypeIntegralWidth() != 16 ||
      type.getZeroPoint() != 0)
    return nullptr;
  return type;
}

/// `type` with its element type replaced.
static RankedTensorType withElementType(Type type, Type element) {
  return cast<RankedTensorType>(type).clone(element);
}

/// Converts `value` (a quantized tensor) to `target` type, with a requantize
/// when the quantization parameters differ.
static Value requantizeTo(PatternRewriter &rewriter, Location loc, Value value,
                          Type target, RoundingModeAttr rounding) {
  if (value.getType() == target)
    return value;
  return RequantizeOp::create(rewriter, loc, target, value, rounding,
                              /*clamp_min=*/nullptr, /*clamp_max=*/nullptr,
                              /*multiplier=*/nullptr, /*shift=*/nullptr);
}

//===----------------------------------------------------------------------===//
// Products: conv, gemm, matmul (+ relu / clip) -> qcast
//===----------------------------------------------------------------------===//

/// Folds `qcast(act?(product(dcast(x), dcast(w), bias)))` into
/// `act(requantize(product(x, w, bias)))` on integer types.
struct FoldProduct : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldProduct(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx, /*benefit=*/2), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    // An int32 result is the accumulator itself (ConvInteger,
    // MatMulInteger): no requantize, checked against the accumulator type
    // below.
    auto outType = getPerTensorInt8Or16(qcast.getResult());
    auto accOut = dyn_cast_or_null<quant::UniformQuantizedType>(
        getQuantElementType(qcast.getResult().getType()));
    if (accOut && accOut.getStorageTypeIntegralWidth() != 32)
      accOut = nullptr;
    if (!outType && !accOut)
      return failure();
    Operation *act = nullptr;
    Operation *product = qcast.getInput().getDefiningOp();
    if (isa_and_nonnull<ReluOp, ClipOp>(product)) {
      if (!product->hasOneUse())
        return failure();
      act = product;
      product = product->getOperand(0).getDefiningOp();
    }
    if (!isa_and_nonnull<ConvOp, GemmOp, MatMulOp>(product) ||
        !product->hasOneUse())
      return failure();
    // Mixed precision: a layer calibration kept in float stays a float op
    // between its input's dcast and its output's qcast.
    if (product->hasAttr("qnn.keep_float"))
      return rewriter.notifyMatchFailure(product, "marked qnn.keep_float");

    Value x = getDequantizedSource(product->getOperand(0));
    Value w = getDequantizedSource(product->getOperand(1));
    if (!x || !w)
      return failure();
    auto xType = getPerTensorInt8Or16(x);
    quant::QuantizedType wType = getQuantElementType(w.getType());
    if (!xType || !wType || wType.getStorageTypeIntegralWidth() != 8)
      return failure();
    // A MatMul's right operand may be an activation (per tensor, any zero
    // point); every other weight is symmetric.
    bool activationRhs =
        isa<MatMulOp>(product) && isa<quant::UniformQuantizedType>(wType);
    if (!activationRhs &&
        llvm::any_of(getZeroPoints(wType), [](int64_t z) { return z != 0; }))
      return failure();

    Location loc = product->getLoc();
    // Channels of NCHW, columns of [M, N] (the last axis of a batched
    // MatMul's [..., M, N]).
    int32_t resultAxis = 1;
    if (isa<MatMulOp>(product))
      resultAxis =
          cast<RankedTensorType>(product->getResult(0).getType()).getRank() - 1;
    auto accElement = getAccumulatorType(xType, wType, resultAxis);
    if (accOut && (act || accElement != accOut))
      return rewriter.notifyMatchFailure(
          qcast, "an int32 result that is not the accumulator");
    auto accType = withElementType(product->getResult(0).getType(), accElement);
    Value bias =
        product->getNumOperands() > 2 ? product->getOperand(2) : Value();
    if (bias)
      bias = getIntegerBias(bias, accElement);

    Value acc;
    if (auto conv = dyn_cast<ConvOp>(product)) {
      acc = ConvOp::create(rewriter, loc, accType, x, w, bias,
                           conv.getStridesAttr(), conv.getPadsAttr(),
                           conv.getDilationsAttr(), conv.getGroupAttr());
    } else if (auto gemm = dyn_cast<GemmOp>(product)) {
      if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f ||
          gemm.getBeta().convertToFloat() != 1.0f)
        return rewriter.notifyMatchFailure(gemm, "alpha/beta/transA");
      // The integer gemm adds one bias value per output column or per
      // output element; a bias that broadcasts otherwise (a single value
      // for several columns, a column for several) stays float.
      auto resultShape =
          cast<RankedTensorType>(gemm.getResult().getType()).getShape();
      auto biasShape = bias ? cast<RankedTensorType>(bias.getType()).getShape()
                            : ArrayRef<int64_t>();
      if (bias && biasShape != ArrayRef<int64_t>(resultShape.back()) &&
          biasShape != resultShape)
        return rewriter.notifyMatchFailure(gemm,
                                           "bias is neither [N] nor [M, N]");
      acc = GemmOp::create(rewriter, loc, accType, x, w, bias,
                           gemm.getAlphaAttr(), gemm.getBetaAttr(),
                           gemm.getTransAAttr(), gemm.getTransBAttr());
    } else {
      acc = MatMulOp::create(rewriter, loc, accType, x, w);
    }
    if (accOut) {
      rewriter.replaceOp(qcast, acc);
      return success();
    }
    Value result =
        RequantizeOp::create(rewriter, loc, qcast.getResult().getType(), acc,
                             rounding, nullptr, nullptr, nullptr, nullptr);
    if (auto relu = dyn_cast_or_null<ReluOp>(act))
      result = ReluOp::create(rewriter, relu.getLoc(), result);
    else if (auto clip = dyn_cast_or_null<ClipOp>(act))
      result = ClipOp::create(rewriter, clip.getLoc(), result,
                              clip.getMinAttr(), clip.getMaxAttr());
    rewriter.replaceOp(qcast, result);
    return success();
  }

  static SmallVector<int64_t> getZeroPoints(quant::QuantizedType type) {
    if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
      return SmallVector<int64_t>(axis.getZeroPoints());
    return {cast<quant::UniformQuantizedType>(type).getZeroPoint()};
  }

  /// An i32 bias whose scales equal the accumulator's is used as is (a QDQ
  /// model's DequantizeLinear of an int32 initializer); anything else stays
  /// f32 for qnn-compute-scales.
  static Value getIntegerBias(Value bias, quant::QuantizedType accType) {
    Value source = getDequantizedSource(bias);
    if (!source)
      return bias;
    auto biasType = getQuantElementType(source.getType());
    if (!biasType || biasType.getStorageTypeIntegralWidth() != 32)
      return bias;
    SmallVector<double> want = getScales(accType), have = getScales(biasType);
    if (have.size() == 1 && want.size() > 1)
      have.assign(want.size(), have.front());
    if (have.size() != want.size())
      return bias;
    for (auto [h, w] : llvm::zip(have, want))
      if (std::abs(h - w) > 1e-6 * std::abs(w))
        return bias;
    auto scast = source.getDefiningOp<quant::StorageCastOp>();
    if (!scast)
      return bias;
    return scast.getInput();
  }

  RoundingModeAttr rounding;
};

//===----------------------------------------------------------------------===//
// Scale-preserving ops and add
//===----------------------------------------------------------------------===//

/// `max_pool_indices(dcast(x))` reads x's integers: dequantization (a
/// positive scale) keeps their order, so the maxima are at the same places.
struct FoldMaxPoolIndices : public OpRewritePattern<MaxPoolIndicesOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolIndicesOp op,
                                PatternRewriter &rewriter) const override {
    Value x = getDequantizedSource(op.getInput());
    if (!x || !getPerTensorInt8Or16(x))
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.getInputMutable().assign(x); });
    return success();
  }
};

/// Moves per-tensor quantization across a reshape or flatten, which only
/// relabels elements: `reshape(dcast(x))` becomes `dcast(reshape(x))` and
/// `qcast(reshape(y))` becomes `reshape(qcast(y))`, so that the ops on
/// either side find their casts (a 3-D pool is two 2-D pools joined by
/// reshapes).
struct MoveCastsAcrossReshape : public RewritePattern {
  MoveCastsAcrossReshape(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  static Operation *cloneOn(PatternRewriter &rewriter, Operation *op, Value x,
                            Type element) {
    OperationState state(op->getLoc(), op->getName());
    state.addOperands(x);
    state.addTypes(withElementType(op->getResult(0).getType(), element));
    state.addAttributes(op->getAttrs());
    return rewriter.create(state);
  }

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (auto qcast = dyn_cast<quant::QuantizeCastOp>(op)) {
      Operation *shape = qcast.getInput().getDefiningOp();
      auto type = getPerTensorInt8Or16(qcast.getResult());
      if (!isa_and_nonnull<ReshapeOp, FlattenOp>(shape) || !type ||
          !shape->hasOneUse() || getDequantizedSource(shape->getOperand(0)))
        return failure();
      Value in = shape->getOperand(0);
      Value q = quant::QuantizeCastOp::create(
          rewriter, qcast.getLoc(), withElementType(in.getType(), type), in);
      rewriter.replaceOp(qcast, cloneOn(rewriter, shape, q, type)->getResult(0));
      return success();
    }
    if (!isa<ReshapeOp, FlattenOp>(op))
      return failure();
    Value x = getDequantizedSource(op->getOperand(0));
    auto type = x ? getPerTensorInt8Or16(x) : nullptr;
    // Left to FoldUnary when a qcast reads the result.
    if (!type || (op->hasOneUse() &&
                  isa<quant::QuantizeCastOp>(*op->getUsers().begin())))
      return failure();
    Operation *intOp = cloneOn(rewriter, op, x, type);
    rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(
        op, op->getResult(0).getType(), intOp->getResult(0));
    return success();
  }
};

/// Folds `qcast(op(dcast(x)))` for max_pool, flatten, reshape, transpose,
/// relu and clip
////// into the op on x's quantized type, then a requantize to the qcast type.
struct FoldUnary : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldUnary(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    Operation *op = qcast.getInput().getDefiningOp();
    if (!isa_and_nonnull<MaxPoolOp, FlattenOp, ReshapeOp, TransposeOp, ReluOp,
                          ClipOp>(op) ||
        !op->hasOneUse())
      return failure();
    Value x = getDequantizedSource(op->getOperand(0));
    if (!x || !getPerTensorInt8Or16(x) ||
        !getPerTensorInt8Or16(qcast.getResult()))
      return failure();
    Type element = getQuantElementType(x.getType());
    auto resultType = withElementType(op->getResult(0).getType(), element);
    OperationState state(op->getLoc(), op->getName());
    state.addOperands(x);
    state.addTypes(resultType);
    state.addAttributes(op->getAttrs());
    Operation *intOp = rewriter.create(state);
    rewriter.replaceOp(qcast,
                       requantizeTo(rewriter, op->getLoc(), intOp->getResult(0),
                                    qcast.getResult().getType(), rounding));
    return success();
  }

  RoundingModeAttr rounding;
};

/// Folds `qcast(add(dcast(a), dcast(b)))` into an integer qnn.add.
struct FoldAdd : public OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto add = qcast.getInput().getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse() || !getPerTensorInt8(qcast.getResult()))
      return failure();
    Value a = getDequantizedSource(add.getLhs());
    Value b = getDequantizedSource(add.getRhs());
    if (!a || !b || !getPerTensorInt8(a) || !getPerTensorInt8(b))
      return failure();
    rewriter.replaceOpWithNewOp<AddOp>(qcast, qcast.getResult().getType(), a,
                                       b);
    return success();
  }
};

/// Folds `qcast(avg_pool(dcast(x)))` into an integer qnn.avg_pool from x's
/// type to the qcast type: the window sum and one requantize.
struct FoldAvgPool : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldAvgPool(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto pool = qcast.getInput().getDefiningOp<AvgPoolOp>();
    if (!pool || !pool->hasOneUse() || !getPerTensorInt8(qcast.getResult()))
      return failure();
    Value x = getDequantizedSource(pool.getInput());
    if (!x || !getPerTensorInt8(x))
      return failure();
    rewriter.replaceOpWithNewOp<AvgPoolOp>(
        qcast, qcast.getResult().getType(), x, pool.getKernelShapeAttr(),
        pool.getStridesAttr(), pool.getPadsAttr(),
        pool.getCountIncludePadAttr(), rounding, /*multiplier=*/nullptr,
        /*shift=*/nullptr);
    return success();
  }

  RoundingModeAttr rounding;
};

/// Folds `qcast(concat(dcast(a), dcast(b), ...))` into an integer
/// qnn.concat of the inputs requantized to the qcast type.
struct FoldConcat : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldConcat(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto concat = qcast.getInput().getDefiningOp<ConcatOp>();
    auto outType = getPerTensorInt8(qcast.getResult());
    if (!concat || !concat->hasOneUse() || !outType)
      return failure();
    SmallVector<Value> sources;
    for (Value input : concat.getInputs()) {
      Value x = getDequantizedSource(input);
      if (!x || !getPerTensorInt8(x))
        return failure();
      sources.push_back(x);
    }
    SmallVector<Value> inputs;
    for (Value x : sources)
      inputs.push_back(requantizeTo(rewriter, concat.getLoc(), x,
                                    withElementType(x.getType(), outType),
                                    rounding));
    rewriter.replaceOpWithNewOp<ConcatOp>(qcast, qcast.getResult().getType(),
                                          inputs, concat.getAxisAttr());
    return success();
  }

  RoundingModeAttr rounding;
};

/// `qcast(dcast(x))`: identity or one requantize.
struct FoldCastPair : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldCastPair(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    Value x = getDequantizedSource(qcast.getInput());
    if (!x || !getQuantElementType(x.getType()))
      return failure();
    // qnn.requantize rescales per-axis operands only when their zero points
    // are 0 (accumulators); other per-axis activations stay in QDQ form.
    if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(
            getQuantElementType(x.getType())))
      if (llvm::any_of(axis.getZeroPoints(), [](int64_t z) { return z != 0; }))
        return failure();
    if (x.getType() != qcast.getResult().getType() &&
        !getPerTensorInt8Or16(qcast.getResult()))
      return failure();
    rewriter.replaceOp(qcast, requantizeTo(rewriter, qcast.getLoc(), x,
                                           qcast.getResult().getType(),
                                           rounding));
    return success();
  }

  RoundingModeAttr rounding;
};

//===----------------------------------------------------------------------===//
// Pointwise functions, mul, softmax
//===----------------------------------------------------------------------===//

/// Folds `qcast(unary(dcast(x)))` into a qnn.lut whose 256 entries are
/// `Q_out(f(DQ_in(q)))` for q in [-128, 127]: dequantize and quantize in
/// float32 as ONNX Runtime does (round half to even, saturate), so the table
/// reproduces the QDQ model exactly.
struct FoldLut : public OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto unary = qcast.getInput().getDefiningOp<UnaryOp>();
    auto outType = getPerTensorInt8(qcast.getResult());
    if (!unary || !unary->hasOneUse() || !outType)
      return failure();
    Value x = getDequantizedSource(unary.getInput());
    auto inType = x ? getPerTensorInt8(x) : nullptr;
    if (!inType)
      return failure();
    float inScale = static_cast<float>(inType.getScale());
    float outScale = static_cast<float>(outType.getScale());
    SmallVector<int8_t> table;
    for (int32_t q = -128; q <= 127; ++q) {
      float real = static_cast<float>(q - inType.getZeroPoint()) * inScale;
      table.push_back(static_cast<int8_t>(quantizeValue(
          unary.evaluate(real), outScale, outType.getZeroPoint(),
          outType.getStorageTypeMin(), outType.getStorageTypeMax())));
    }
    rewriter.replaceOpWithNewOp<LutOp>(qcast, qcast.getResult().getType(), x,
                                       rewriter.getDenseI8ArrayAttr(table));
    return success();
  }
};

/// Folds `qcast(mul(dcast(a), dcast(b)))` into the exact int32 product
/// `(a - zp_a) * (b - zp_b)` at scale `s_a * s_b` and a requantize to the
/// qcast type.
struct FoldMul : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldMul(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto mul = qcast.getInput().getDefiningOp<MulOp>();
    if (!mul || !mul->hasOneUse() || !getPerTensorInt8(qcast.getResult()))
      return failure();
    Value a = getDequantizedSource(mul.getLhs());
    Value b = getDequantizedSource(mul.getRhs());
    auto aType = a ? getPerTensorInt8(a) : nullptr;
    auto bType = b ? getPerTensorInt8(b) : nullptr;
    if (!aType || !bType)
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    auto accElement = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, IntegerType::get(ctx, 32),
        Float32Type::get(ctx), aType.getScale() * bType.getScale(), 0,
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max());
    Location loc = mul.getLoc();
    Value product = MulOp::create(
        rewriter, loc, withElementType(mul.getType(), accElement), a, b);
    rewriter.replaceOpWithNewOp<RequantizeOp>(
        qcast, qcast.getResult().getType(), product, rounding,
        /*clamp_min=*/nullptr, /*clamp_max=*/nullptr, /*multiplier=*/nullptr,
        /*shift=*/nullptr);
    return success();
  }

  RoundingModeAttr rounding;
};

/// Folds `qcast(softmax(dcast(x)))` into the integer qnn.softmax, whose
/// result type is fixed (scale 1/256, zero point -128), then a requantize
/// when the qcast type differs.
struct FoldSoftmax : public OpRewritePattern<quant::QuantizeCastOp> {
  FoldSoftmax(MLIRContext *ctx, RoundingModeAttr rounding)
      : OpRewritePattern(ctx), rounding(rounding) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto softmax = qcast.getInput().getDefiningOp<SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse() ||
        !getPerTensorInt8(qcast.getResult()))
      return failure();
    Value x = getDequantizedSource(softmax.getInput());
    if (!x || !getPerTensorInt8(x))
      return failure();
    auto probType = withElementType(
        softmax.getType(), getInt8Type(rewriter.getContext(), 1.0 / 256, -128));
    Value y = SoftmaxOp::create(rewriter, softmax.getLoc(), probType, x,
                                softmax.getAxisAttr());
    rewriter.replaceOp(qcast, requantizeTo(rewriter, softmax.getLoc(), y,
                                           qcast.getResult().getType(),
                                           rounding));
    return success();
  }

  RoundingModeAttr rounding;
};

//===----------------------------------------------------------------------===//
// Function boundary
//===----------------------------------------------------------------------===//

/// Whether the generated API can carry a tensor of `type` as it is: per
/// tensor, 8-bit storage (int8 with a scale and zero point).
static bool isBoundaryQuantType(Type type) {
  auto quantType = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(type));
  return quantType && quantType.getStorageTypeIntegralWidth() == 8;
}

/// Float arguments used only by one qcast take the quantized type; results
/// produced by a dcast return the quantized value. Casts from or to types the
/// API cannot carry (int32, per-axis) stay: they convert at the boundary, and
/// that input or output stays float.
static void quantizeBoundary(func::FuncOp func) {
  if (func.isExternal())
    return;
  Block &entry = func.getBody().front();
  for (BlockArgument arg : entry.getArguments()) {
    if (!arg.hasOneUse())
      continue;
    auto qcast = dyn_cast<quant::QuantizeCastOp>(*arg.getUsers().begin());
    if (!qcast || !isBoundaryQuantType(qcast.getResult().getType()))
      continue;
    arg.setType(qcast.getResult().getType());
    qcast.getResult().replaceAllUsesWith(arg);
    qcast.erase();
  }
  func.walk([](func::ReturnOp ret) {
    for (OpOperand &operand : ret->getOpOperands())
      if (auto dcast = operand.get().getDefiningOp<quant::DequantizeCastOp>())
        if (isBoundaryQuantType(dcast.getInput().getType()))
          operand.set(dcast.getInput());
  });
  SmallVector<Type> results;
  func.walk([&](func::ReturnOp ret) {
    results = llvm::to_vector(ret.getOperandTypes());
  });
  func.setType(FunctionType::get(func.getContext(), entry.getArgumentTypes(),
                                 results));
}

//===----------------------------------------------------------------------===//
// 16x8 activations
//===----------------------------------------------------------------------===//

struct FoldQDQPass : public qnn::impl::FoldQDQPassBase<FoldQDQPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    std::optional<RoundingMode> mode = symbolizeRoundingMode(rounding);
    if (!mode) {
      func.emitError() << "unknown rounding mode '" << rounding
                       << "' (expected single or double)";
      return signalPassFailure();
    }
    auto roundingAttr = RoundingModeAttr::get(ctx, *mode);
    narrowInt16Uses(func);
    WalkResult bound = func.walk([](Operation *op) {
      if (isa<ConvOp, GemmOp, MatMulOp>(op) &&
          !op->hasAttr("qnn.keep_float") &&
          failed(checkInt16Accumulator(op, /*emitErrors=*/true)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (bound.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(ctx);
    patterns.add<FoldProduct, FoldUnary, FoldAvgPool, FoldConcat, FoldCastPair,
                 FoldMul, FoldSoftmax>(ctx, roundingAttr);
    patterns.add<FoldAdd, FoldLut, MoveCastsAcrossReshape, FoldMaxPoolIndices>(
        ctx);
    // quant.dcast folds dcast(qcast(x)) to x, which would silently drop the
    // quantization of every activation; only the patterns above may fire.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(func, std::move(patterns), config)))
      return signalPassFailure();
    // A per-axis quantization that only a dequantization reads (no integer
    // op between: the ONNX QuantizeLinear -> DequantizeLinear of a per-axis
    // model output or input) would be dropped by the dcast(qcast(x)) fold
    // of later canonicalizations, rounding and all. An identity
    // qnn.transpose materializes the quantized tensor between them (a
    // copy; no qnn op has a folder that removes it), so the program
    // quantizes and dequantizes as the model says.
    func.walk([](quant::DequantizeCastOp dcast) {
      auto qcast = dcast.getInput().getDefiningOp<quant::QuantizeCastOp>();
      if (!qcast || !isa<quant::UniformQuantizedPerAxisType>(
                        getQuantElementType(qcast.getResult().getType())))
        return;
      OpBuilder b(dcast);
      auto type = cast<RankedTensorType>(qcast.getResult().getType());
      Value copy = TransposeOp::create(
          b, qcast.getLoc(), type, qcast.getResult(),
          b.getDenseI64ArrayAttr(
              llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))));
      dcast.getInputMutable().assign(copy);
    });
    quantizeBoundary(func);
  }
};

} // namespace
