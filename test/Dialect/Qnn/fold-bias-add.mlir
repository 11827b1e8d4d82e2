// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(qnn-fold-bias-add))" --mlir-print-debuginfo \
// RUN:   | FileCheck %s

/// MatMul by a constant weight, then Add of a constant [N] bias: one Gemm
/// (transB = false) with that bias, named by both nodes.
// CHECK-LABEL: func.func @dense
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<3x2xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
//       CHECK:   %[[G:.+]] = qnn.gemm %{{.+}}, %[[W]], %[[B]] : (tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<4x2xf32> loc(#[[LOC:.+]])
//   CHECK-NOT:   qnn.matmul
//   CHECK-NOT:   qnn.add
//       CHECK:   return %[[G]]
//       CHECK: #[[MM:loc[0-9]+]] = loc("fc_MatMul")
//  CHECK-NEXT: #[[ADD:loc[0-9]+]] = loc("fc_Add")
//       CHECK: #[[LOC]] = loc(fused[#[[MM]], #[[ADD]]])
func.func @dense(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %m = qnn.matmul %x, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32> loc("fc_MatMul")
  %y = qnn.add %m, %b : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32> loc("fc_Add")
  return %y : tensor<4x2xf32>
}

// -----

/// The bias first and shaped [1, N]: it becomes the [N] bias.
// CHECK-LABEL: func.func @bias_first_row
//       CHECK:   %[[B:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
//       CHECK:   qnn.gemm %{{.+}}, %{{.+}}, %[[B]] : (tensor<1x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
func.func @bias_first_row(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %y = qnn.add %b, %m : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// A bias matrix of the result's shape stays [M, N].
// CHECK-LABEL: func.func @bias_matrix
//       CHECK:   qnn.gemm %{{.+}}, %{{.+}}, %{{.+}} : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
func.func @bias_matrix(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %m = qnn.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %y = qnn.add %m, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

/// negative_matmul_used_twice: the product is also returned.
// CHECK-LABEL: func.func @negative_matmul_used_twice
//       CHECK:   qnn.matmul
//       CHECK:   qnn.add
//   CHECK-NOT:   qnn.gemm
func.func @negative_matmul_used_twice(%x: tensor<1x3xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %y = qnn.add %m, %b : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %m, %y : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

/// negative_activation_bias: the addend is not a constant (a residual).
// CHECK-LABEL: func.func @negative_activation_bias
//   CHECK-NOT:   qnn.gemm
func.func @negative_activation_bias(%x: tensor<1x3xf32>, %r: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %y = qnn.add %m, %r : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// negative_activation_weight: both MatMul operands are activations.
// CHECK-LABEL: func.func @negative_activation_weight
//   CHECK-NOT:   qnn.gemm
func.func @negative_activation_weight(%x: tensor<1x3xf32>, %w: tensor<3x2xf32>) -> tensor<1x2xf32> {
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %y = qnn.add %m, %b : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// negative_batched: a rank-3 MatMul has no Gemm form.
// CHECK-LABEL: func.func @negative_batched
//   CHECK-NOT:   qnn.gemm
func.func @negative_batched(%x: tensor<2x1x3xf32>) -> tensor<2x1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = qnn.matmul %x, %w : (tensor<2x1x3xf32>, tensor<3x2xf32>) -> tensor<2x1x2xf32>
  %y = qnn.add %m, %b : (tensor<2x1x2xf32>, tensor<2xf32>) -> tensor<2x1x2xf32>
  return %y : tensor<2x1x2xf32>
}

// -----

/// negative_broadcast_rows: a [M, 1] bias varies by row only; the Gemm's
/// bias must be per column or the full matrix.
// CHECK-LABEL: func.func @negative_broadcast_rows
//   CHECK-NOT:   qnn.gemm
func.func @negative_broadcast_rows(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %m = qnn.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %y = qnn.add %m, %b : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

/// negative_qdq_model: a QDQ model's quantize/dequantize pairs survive (the
/// pass folds no ops), and an Add after a dequantize is not a bias Add.
// CHECK-LABEL: func.func @negative_qdq_model
//       CHECK:   quant.qcast
//       CHECK:   quant.dcast
//   CHECK-NOT:   qnn.gemm
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @negative_qdq_model(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %q = quant.qcast %m : tensor<1x2xf32> to tensor<1x2x!q>
  %d = quant.dcast %q : tensor<1x2x!q> to tensor<1x2xf32>
  %y = qnn.add %d, %b : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
