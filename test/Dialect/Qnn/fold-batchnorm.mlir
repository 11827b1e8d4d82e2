// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-batchnorm))" | FileCheck %s

// Golden values are computed by hand (epsilon 0 and exact square roots) or,
// for epsilon 1e-5, with Python from the pass's formulas in double precision
// and rounded to float32 once:
//   k[c] = scale[c] / sqrt(var[c] + eps)
//   w'[c, ...] = w[c, ...] * k[c],  b'[c] = (b[c] - mean[c]) * k[c] + bias[c]

/// Conv 1x1 with a bias, epsilon 0: var = {4, 0.25} gives k = {1.5 / 2,
/// 2 / 0.5} = {0.75, 4};
///   w' = {2 * 0.75, -1 * 4} = {1.5, -4}
///   b' = {(0.5 - 0.5) * 0.75 + 0.25, (1 - 2) * 4 - 1} = {0.25, -5}
/// The folded conv keeps the conv's attributes and replaces the batch norm.
// CHECK-LABEL: func.func @conv_bias_exact
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x2x2xf32>)
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}1.500000e+00]]], {{\[\[\[}}-4.000000e+00]]]]> : tensor<2x1x1x1xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[2.500000e-01, -5.000000e+00]> : tensor<2xf32>
//       CHECK:   %[[Y:.+]] = qnn.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
//   CHECK-NOT:   qnn.batch_norm
//       CHECK:   return %[[Y]]
func.func @conv_bias_exact(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %scale = arith.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %bias = arith.constant dense<[0.25, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %c = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = qnn.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

/// Depthwise conv (group 2, filter 2x1x1x2) without a bias, default epsilon
/// 1e-5: the bias is created. In double, then rounded to float32:
///   k0 = 1 / sqrt(1 + 1e-5)     = 0.999995...
///   k1 = 3 / sqrt(0.5 + 1e-5)   = 4.24259826...
///   w' = {1 * k0, 2 * k0, -0.5 * k1, 0.25 * k1}
///      = {0.999995, 1.99999, -2.121299, 1.0606495}   (float32 repr)
///   b' = {(0 - 1) * k0 + 0, (0 + 2) * k1 + 0.5} = {-0.999995, 8.985196}
/// (MLIR prints these float32 values with 9 significant digits).
/// (python3 -c "import numpy as np; e=np.float64(np.float32(1e-5));
///  k=np.array([1,3])/np.sqrt(np.array([1,.5])+e);
///  print(np.float32(np.array([1,2,-.5,.25])*np.repeat(k,2)),
///        np.float32((np.array([0,0])-[1,-2])*k+[0,.5]))")
// CHECK-LABEL: func.func @depthwise_no_bias_default_epsilon
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}0.999994993, 1.999990e+00]]], {{\[\[\[}}-2.12129903, 1.06064951]]]]> : tensor<2x1x1x2xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[-0.999994993, 8.98519611]> : tensor<2xf32>
//       CHECK:   qnn.conv %{{.+}}, %[[W]], %[[B]] {{{.*}}group = 2 : i64
//   CHECK-NOT:   qnn.batch_norm
func.func @depthwise_no_bias_default_epsilon(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x1xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[-0.5, 0.25]]]]> : tensor<2x1x1x2xf32>
  %scale = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %bias = arith.constant dense<[0.0, 0.5]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %var = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x1xf32>
  %y = qnn.batch_norm %c, %scale, %bias, %mean, %var : (tensor<1x2x2x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x1xf32>
  return %y : tensor<1x2x2x1xf32>
}

// -----

/// Gemm with transB (B is [N, K] = [2, 3], output channels on B's axis 0),
/// C = {1, 2} and beta 0.5, epsilon 0: var = {0.25, 16}, scale = {1, 2}
/// give k = {2, 0.5};
///   B' = {{1, 2, 3} * 2, {4, 5, 6} * 0.5} = {{2, 4, 6}, {2, 2.5, 3}}
///   C' = {(0.5 * 1 - 0) * 2 + 1, (0.5 * 2 - 3) * 0.5 + 0} = {2, -1}
/// and the folded gemm has beta 1 (the default, so it is not printed).
// CHECK-LABEL: func.func @gemm_trans_b_beta
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00, 6.000000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00]]> : tensor<2x3xf32>
//   CHECK-DAG:   %[[C:.+]] = arith.constant dense<[2.000000e+00, -1.000000e+00]> : tensor<2xf32>
//       CHECK:   qnn.gemm %{{.+}}, %[[B]], %[[C]] {transB = true}
//   CHECK-NOT:   qnn.batch_norm
func.func @gemm_trans_b_beta(%a: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %scale = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bias = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %var = arith.constant dense<[0.25, 16.0]> : tensor<2xf32>
  %g = qnn.gemm %a, %b, %c {beta = 0.5 : f32, transB = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = qnn.batch_norm %g, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// Gemm without transB: B is [K, N] = [2, 2] and the output channel is
/// B's column: k = {2, 0.5} scales the columns; no C, so C' = -mean * k +
/// bias = {-2 + 1, -1.5 + 0} = {-1, -1.5}.
// CHECK-LABEL: func.func @gemm_columns_no_c
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<{{\[\[}}2.000000e+00, 1.000000e+00], [6.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
//   CHECK-DAG:   %[[C:.+]] = arith.constant dense<[-1.000000e+00, -1.500000e+00]> : tensor<2xf32>
//       CHECK:   qnn.gemm %{{.+}}, %[[B]], %[[C]]
func.func @gemm_columns_no_c(%a: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %scale = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bias = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %var = arith.constant dense<[0.25, 16.0]> : tensor<2xf32>
  %g = qnn.gemm %a, %b : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = qnn.batch_norm %g, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// The conv result has a second use: folding would change it, so the batch
/// norm becomes its own depthwise 1x1 convolution of the conv's result.
// CHECK-LABEL: func.func @conv_two_uses
//       CHECK:   %[[C:.+]] = qnn.conv %arg0
//   CHECK-NOT:   qnn.batch_norm
//       CHECK:   %[[Y:.+]] = qnn.conv %[[C]], %{{.+}}, %{{.+}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
//       CHECK:   return %[[Y]], %[[C]]
func.func @conv_two_uses(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %p = arith.constant dense<1.0> : tensor<1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = qnn.batch_norm %c, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y, %c : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

/// The weight is a function argument, not a constant: nothing to fold
/// into; the batch norm becomes a depthwise 1x1 convolution after it.
// CHECK-LABEL: func.func @weight_not_constant
//       CHECK:   %[[C:.+]] = qnn.conv %arg0, %arg1
//       CHECK:   qnn.conv %[[C]]
//   CHECK-NOT:   qnn.batch_norm
func.func @weight_not_constant(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> {
  %p = arith.constant dense<1.0> : tensor<1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = qnn.batch_norm %c, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

/// The running variance is a function argument (as in ONNX's node tests).
// CHECK-LABEL: func.func @negative_statistics_not_constant
//       CHECK:   qnn.conv
//       CHECK:   qnn.batch_norm
func.func @negative_statistics_not_constant(%x: tensor<1x1x2x2xf32>, %v: tensor<1xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %p = arith.constant dense<1.0> : tensor<1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = qnn.batch_norm %c, %p, %p, %p, %v : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

/// A batch norm after a relu (or on the function input) has nothing to fold
/// into: it becomes a depthwise 1x1 convolution, weight k[c] = gamma[c] /
/// sqrt(var[c] + eps) and bias beta[c] - mean[c] * k[c]. With gamma [2, 0.5],
/// beta [1, -1], mean [0.5, 2], var [3, 0.25], eps 1e-5 (in double, then
/// f32): k = [1.1546986, 0.99998], bias = [0.4226507, -2.99996] (numpy).
// CHECK-LABEL: func.func @depthwise_after_relu
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}1.15469861]]], {{\[\[\[}}0.999979972]]]]> : tensor<2x1x1x1xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[0.422650695, -2.999960e+00]> : tensor<2xf32>
//       CHECK:   %[[R:.+]] = qnn.relu
//       CHECK:   %[[Y:.+]] = qnn.conv %[[R]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
//       CHECK:   return %[[Y]]
func.func @depthwise_after_relu(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %g = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %v = arith.constant dense<[3.0, 0.25]> : tensor<2xf32>
  %r = qnn.relu %x : tensor<1x2x2x2xf32>
  %y = qnn.batch_norm %r, %g, %b, %m, %v : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

/// A batch norm of a rank-2 input ([N, C], BatchNorm1d) has no convolution
/// form; it stays.
// CHECK-LABEL: func.func @negative_rank_two
//       CHECK:   qnn.batch_norm
func.func @negative_rank_two(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %y = qnn.batch_norm %x, %p, %p, %p, %p : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

/// A QDQ model keeps its dcast(qcast(x)) pairs: the pass does not fold them.
// CHECK-LABEL: func.func @negative_keeps_qdq
//       CHECK:   quant.qcast
//       CHECK:   quant.dcast
!q = !quant.uniform<i8:f32, 0.5>
func.func @negative_keeps_qdq(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!q>
  %d = quant.dcast %q : tensor<4x!q> to tensor<4xf32>
  return %d : tensor<4xf32>
}
