//===- WeightQuantization.cpp - Int8 weights from float constants ---------===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "WeightQuantization.h"

#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantopt;

Value mlir::quantopt::qnn::buildInt8Weight(OpBuilder &builder, Value weight,
                                          int32_t axis, bool perChannel) {
  DenseElementsAttr values;
  if (!matchPattern(weight, m_Constant(&values)) ||
      !values.getElementType().isF32())
    return nullptr;
  auto type = cast<RankedTensorType>(weight.getType());
  SmallVector<float> w;
  for (APFloat v : values.getValues<APFloat>())
    w.push_back(v.convertToFloat());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = perChannel ? shape[axis] : 1;
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  auto channelOf = [&](int64_t i) {
    return perChannel ? (i / inner) % shape[axis] : 0;
  };
  SmallVector<float> absMax(channels, 0.0f);
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    absMax[channelOf(i)] = std::max(absMax[channelOf(i)], std::fabs(w[i]));
  SmallVector<double> scales;
  for (float m : absMax)
    scales.push_back(chooseSymmetricScale(m, 127));
  SmallVector<int8_t> q;
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    q.push_back(quantizeValue(w[i], scales[channelOf(i)], 0, -127, 127));

  MLIRContext *ctx = builder.getContext();
  auto i8 = IntegerType::get(ctx, 8);
  auto f32 = Float32Type::get(ctx);
  quant::QuantizedType qType;
  if (perChannel)
    qType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i8, f32, scales,
        SmallVector<int64_t>(channels, 0), axis, -127, 127);
  else
    qType =
        quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed, i8,
                                         f32, scales.front(), 0, -127, 127);
  Location loc = weight.getLoc();
  auto storage = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(type.clone(i8), ArrayRef(q)));
  return quant::StorageCastOp::create(builder, loc, type.clone(qType),
                                      storage.getResult());
}
