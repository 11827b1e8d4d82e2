//===- Passes.td - QuantOpt conversion passes --------------*- tablegen -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_PASSES_TD
#define QUANTOPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerToLinalgInt8Pass : Pass<"qnn-lower-to-linalg-int8", "ModuleOp"> {
  let summary = "Lower integer qnn ops to int8 linalg on tensors";
  let description = [{
    Converts the integer form of the `qnn` dialect (and the `quant` casts at
    the function boundary) to `linalg`, `tensor` and `arith` on plain integer
    tensors: quantized types become their storage type (i8, i32), convolutions
    and matrix products accumulate i8 x i8 in i32 (`linalg.conv_2d_nchw_fchw`
    and `linalg.matmul` on sign-extended operands, with the input zero point
    folded into a per-channel bias correction), and `qnn.requantize` becomes a
    `linalg.generic` of i64 `arith` ops implementing the op's rounding mode.
    No float op is created on the integer path.

    Every `func.func` must take and return quantized or integer tensors; an
    op left in float, or a requantize without multipliers (run
    `qnn-compute-scales` first), is an error naming the op.

    With `allow-float`, float layers are lowered too (FloatLowering.cpp):
    float qnn ops become `linalg.generic` ops on f32, `quant.qcast` /
    `quant.dcast` between integer and float layers become ONNX
    QuantizeLinear (round half to even with integer arithmetic, saturate) /
    DequantizeLinear, `qnn.dynamic_gemm` quantizes its input at run time,
    and the function may take and return f32 tensors. No libm call and no
    fast-math flag is created.
  }];
  let options = [
    Option<"allowFloat", "allow-float", "bool", /*default=*/"false",
           "Lower float layers and quant casts instead of rejecting them">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

#endif // QUANTOPT_CONVERSION_PASSES_TD
