// RUN: quant-opt %s --split-input-file --qnn-dynamic-quantize | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnn-dynamic-quantize=weight-granularity=per-tensor | FileCheck %s --check-prefix=TENSOR

/// Gemm with transB: int8 weights, symmetric per output row (axis 0):
/// row 0 max |w| = 1.27 -> scale 0.01, w = [1.27, -0.635, 0.005, 0]
/// -> [127, -64 (-63.5 ties to even), 0 (0.5 ties to even), 0]; row 1
/// max 2.54 -> 0.02. The bias and the float input stay as they are.
// CHECK-LABEL: func.func @gemm_trans_b
//  CHECK-SAME:     %[[X:.+]]: tensor<1x4xf32>
//       CHECK:   %[[C:.+]] = arith.constant dense<{{\[\[}}127, -64, 0, 0], [127, 127, -127, 64]]> : tensor<2x4xi8>
//       CHECK:   %[[W:.+]] = quant.scast %[[C]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.0099999997764825821,0.019999999552965164}>>
//       CHECK:   %[[Y:.+]] = qnn.dynamic_gemm %[[X]], %[[W]], %{{.+}} {transB = true}
//       CHECK:   return %[[Y]]
// TENSOR-LABEL: func.func @gemm_trans_b
//       TENSOR:   tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.019999999552965164>>
func.func @gemm_trans_b(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.27, -0.635, 0.005, 0.0], [2.54, 2.54, -2.54, 1.28]]> : tensor<2x4xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = qnn.gemm %x, %w, %b {transB = true} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// MatMul [K, N]: per column (axis 1), no bias; 0.5 / (1 / 127) = 63.5
/// and 1 / (2 / 127) = 63.5 tie to the even 64.
// CHECK-LABEL: func.func @matmul
//       CHECK:   arith.constant dense<{{\[\[}}127, -127], [64, 64]]> : tensor<2x2xi8>
//       CHECK:   quant.scast {{.*}} to tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.0078740157186985015,0.015748031437397003}>>
//       CHECK:   qnn.dynamic_gemm %{{[^,]+}}, %{{[^ ]+}} :
func.func @matmul(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 1.0]]> : tensor<2x2xf32>
  %y = qnn.matmul %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

/// Two activations (no constant weight), and a Gemm with alpha != 1: they
/// stay float.
// CHECK-LABEL: func.func @negative_not_constant_or_scaled
//   CHECK-NOT:   qnn.dynamic_gemm
//       CHECK:   qnn.matmul
//       CHECK:   qnn.gemm
func.func @negative_not_constant_or_scaled(%x: tensor<2x2xf32>, %z: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %m = qnn.matmul %x, %z : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qnn.gemm %m, %w {alpha = 2.0 : f32} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

/// Convolutions are not dynamically quantized: they stay float.
// CHECK-LABEL: func.func @negative_conv_stays_float
//       CHECK:   qnn.conv {{.*}} -> tensor<1x1x2x2xf32>
func.func @negative_conv_stays_float(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %y = qnn.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}
