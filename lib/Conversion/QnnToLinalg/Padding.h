//===- Padding.h - NCHW padding and grouped conv for the lowerings -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H
#define QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::quantopt {

/// Pads an NCHW tensor spatially by `pads` (top, left, bottom, right) with
/// the value `makePadValue` builds (only called when there is padding);
/// returns `input` itself without padding.
inline Value padNCHW(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> pads,
                     llvm::function_ref<Value()> makePadValue) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += pads[0] + pads[2];
  shape[3] += pads[1] + pads[3];
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(pads[0]),
                                   b.getIndexAttr(pads[1])};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(pads[2]),
                                    b.getIndexAttr(pads[3])};
  return tensor::PadOp::create(b, loc, type.clone(shape), input, low, high,
                               makePadValue());
}

/// Grouped NCHW convolution of the padded input `padded` into the
/// accumulator `init` [N, F, OH, OW] (int32 or f32): the filter
/// [F, C/G, kh, kw] and the accumulator are viewed with a group dimension
/// ([G, F/G, C/G, kh, kw] and [N, G, F/G, OH, OW]) and the input channel is
/// g * C/G + c. Loop order (n, g, f, c, kh, kw, oh, ow): the reductions run
/// outside the output rows. `body` is the multiply-accumulate.
inline Value buildGroupedConvNCHW(
    OpBuilder &b, Location loc, Value padded, Value filter, Value init,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, int64_t group,
    llvm::function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  auto wType = cast<RankedTensorType>(filter.getType());
  auto accType = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> ws = wType.getShape(), as = accType.getShape();
  int64_t fg = ws[0] / group, cg = ws[1];
  Value groupedFilter = tensor::ExpandShapeOp::create(
      b, loc, wType.clone(SmallVector<int64_t>{group, fg, cg, ws[2], ws[3]}),
      filter, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
  auto groupedAccType =
      accType.clone(SmallVector<int64_t>{as[0], group, fg, as[2], as[3]});
  SmallVector<ReassociationIndices> accGroups = {{0}, {1, 2}, {3}, {4}};
  Value groupedInit =
      tensor::ExpandShapeOp::create(b, loc, groupedAccType, init, accGroups);
  qnn::GroupedConvIndexing indexing =
      qnn::getGroupedConvIndexing(b.getContext(), cg, strides, dilations);
  Value acc = linalg::GenericOp::create(b, loc, groupedAccType,
                                        ValueRange{padded, groupedFilter},
                                        groupedInit, indexing.maps,
                                        indexing.iterators, body)
                  .getResult(0);
  return tensor::CollapseShapeOp::create(b, loc, accType, acc, accGroups);
}

} // namespace mlir::quantopt

#endif // QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H
