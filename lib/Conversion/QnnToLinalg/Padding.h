//===- Padding.h - Spatial padding shared by the lowerings ------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H
#define QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H

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

} // namespace mlir::quantopt

#endif // QUANTOPT_LIB_CONVERSION_QNNTOLINALG_PADDING_H
