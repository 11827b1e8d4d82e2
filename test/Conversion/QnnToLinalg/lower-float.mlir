// RUN: quant-opt %s --split-input-file --qnn-lower-to-linalg-int8=allow-float | FileCheck %s

/// A float Gemm between int8 layers (a QDQ model's excluded node): dcast is
/// (q - zp) * scale in f32, the product accumulates mulf + addf (two
/// rounded operations, no FMA), the bias is added after the sum, and the
/// qcast is QuantizeLinear with integer rounding: no libm call.
// CHECK-LABEL: func.func @dcast_gemm_qcast
//  CHECK-SAME:     %[[X:.+]]: tensor<1x4xi8>) -> tensor<1x2xi8>
//       CHECK:   %[[F:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<1x4xi8>)
//       CHECK:     arith.extsi
//       CHECK:     arith.subi
//       CHECK:     arith.sitofp
//       CHECK:     arith.mulf
//       CHECK:   %[[ACC:.+]] = linalg.generic {{.*}}["parallel", "parallel", "reduction"]{{.*}} ins(%[[F]], {{.*}}tensor<1x4xf32>, tensor<2x4xf32>)
//       CHECK:     %[[P:.+]] = arith.mulf
//       CHECK:     arith.addf %{{.+}}, %[[P]] : f32
//       CHECK:   %[[B:.+]] = linalg.generic {{.*}} ins(%[[ACC]], {{.*}}tensor<1x2xf32>, tensor<2xf32>)
//       CHECK:     arith.addf
//       CHECK:   linalg.generic {{.*}} ins(%[[B]] : tensor<1x2xf32>) outs(%{{.+}} : tensor<1x2xi8>)
//       CHECK:     arith.divf
//       CHECK:     arith.fptosi
//       CHECK:     arith.cmpf oeq
//       CHECK:     arith.trunci {{.*}} : i32 to i8
//   CHECK-NOT:   math.
//   CHECK-NOT:   fastmath
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @dcast_gemm_qcast(%x: tensor<1x4x!q>) -> tensor<1x2x!q> {
  %f = quant.dcast %x : tensor<1x4x!q> to tensor<1x4xf32>
  %w = arith.constant dense<0.25> : tensor<2x4xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %g = qnn.gemm %f, %w, %b {transB = true} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = quant.qcast %g : tensor<1x2xf32> to tensor<1x2x!q>
  return %y : tensor<1x2x!q>
}

// -----

/// A float grouped, strided, dilated convolution with a float model
/// boundary: zero padding, the bias broadcast as the init, the group
/// dimension on filter and accumulator, input channel g * C/G + c.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d3, d6 * 2 + d4 * 2, d7 * 2 + d5 * 2)>
// CHECK-LABEL: func.func @float_conv
//  CHECK-SAME:     %[[X:.+]]: tensor<1x4x9x9xf32>) -> tensor<1x2x4x4xf32>
//       CHECK:   %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:     tensor.yield %{{.+}} : f32
//       CHECK:   tensor.expand_shape {{.*}} : tensor<2x2x3x3xf32> into tensor<2x1x2x3x3xf32>
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], {{.*}}ins(%[[P]]
//       CHECK:   tensor.collapse_shape {{.*}} into tensor<1x2x4x4xf32>
func.func @float_conv(%x: tensor<1x4x9x9xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x3x3xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %c = qnn.conv %x, %w, %b {dilations = array<i64: 2, 2>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x9x9xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}

// -----

/// Float max pooling pads with the lowest finite float (no infinity
/// literal in C) and keeps NaN (unordered compare); relu is a select.
// CHECK-LABEL: func.func @float_relu_max_pool
//       CHECK:   arith.cmpf ugt
//       CHECK:   arith.select
//       CHECK:   tensor.pad
//       CHECK:     arith.constant -3.40282347E+38 : f32
//       CHECK:   linalg.generic {{.*}}["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
//       CHECK:     arith.cmpf ugt
func.func @float_relu_max_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x4x4xf32>
  %p = qnn.max_pool %r {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %p : tensor<1x1x2x2xf32>
}

// -----

/// Average pooling divides each window sum by its own window size (padding
/// excluded): a [OH, OW] table of divisors.
// CHECK-LABEL: func.func @float_avg_pool
//       CHECK:   arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
//       CHECK:   arith.divf
func.func @float_avg_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %p : tensor<1x1x2x2xf32>
}

// -----

/// Dynamic quantization: min and max reductions into [1] tensors, the
/// DynamicQuantizeLinear parameters, the int8 input, an i32 product whose
/// init folds the zero point (-zp * column sums of the weight: 3 and -3
/// here), and acc * (s_x * s_w[n]) + bias in f32.
// CHECK-LABEL: func.func @dynamic_gemm
//  CHECK-SAME:     %[[X:.+]]: tensor<2x3xf32>
//       CHECK:   %[[MIN:.+]] = linalg.generic {{.*}}["reduction", "reduction"]{{.*}} ins(%[[X]]
//       CHECK:     arith.cmpf olt
//       CHECK:   %[[MAX:.+]] = linalg.generic {{.*}}["reduction", "reduction"]{{.*}} ins(%[[X]]
//       CHECK:     arith.cmpf ogt
//       CHECK:   %[[PARAMS:.+]]:2 = linalg.generic {{.*}} ins(%[[MIN]], %[[MAX]]
//       CHECK:     arith.constant 2.550000e+02 : f32
//       CHECK:   %[[Q:.+]] = linalg.generic {{.*}} ins(%[[X]], %[[PARAMS]]#0, %[[PARAMS]]#1 : tensor<2x3xf32>, tensor<1xf32>, tensor<1xi32>) outs(%{{.+}} : tensor<2x3xi8>)
//       CHECK:   arith.constant dense<[3, -3]> : tensor<2xi32>
//       CHECK:   %[[ACC:.+]] = linalg.generic {{.*}} ins(%[[Q]], %{{.+}} : tensor<2x3xi8>, tensor<2x3xi8>)
//       CHECK:     arith.muli
//       CHECK:   linalg.generic {{.*}} ins(%[[ACC]], %[[PARAMS]]#0, {{.*}} : tensor<2x2xi32>, tensor<1xf32>, tensor<2xf32>, tensor<2xf32>)
//       CHECK:     arith.sitofp
//       CHECK:     arith.mulf
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
!w = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
func.func @dynamic_gemm(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1, 1, 1], [-1, -1, -1]]> : tensor<2x3xi8>
  %w = quant.scast %c : tensor<2x3xi8> to tensor<2x3x!w>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = qnn.dynamic_gemm %x, %w, %b {transB = true} : (tensor<2x3xf32>, tensor<2x3x!w>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

/// Weight zero points zw = [2, -1] (columns of a [K, N] = [3, 2] weight):
/// the run-time row sums of the int8 input and the init
/// zp * (K * zw[n] - colsum[n]) - zw[n] * rowsum[m] with K * zw = [6, -3]
/// and column sums [5, 0]; the product itself is unchanged.
// CHECK-LABEL: func.func @dynamic_gemm_weight_zero_point
//       CHECK:   %[[PARAMS:.+]]:2 = linalg.generic
//       CHECK:   %[[Q:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<2x3xi8>)
//   CHECK-DAG:   arith.constant dense<[5, 0]> : tensor<2xi32>
//       CHECK:   %[[ROWS:.+]] = linalg.generic {{.*}}["parallel", "reduction"]{{.*}} ins(%[[Q]] : tensor<2x3xi8>) outs(%{{.+}} : tensor<2xi32>)
//   CHECK-DAG:   arith.constant dense<[2, -1]> : tensor<2xi32>
//   CHECK-DAG:   arith.constant dense<[6, -3]> : tensor<2xi32>
//       CHECK:   %[[INIT:.+]] = linalg.generic {{.*}} ins(%[[PARAMS]]#1, %{{.+}}, %{{.+}}, %{{.+}}, %[[ROWS]] : tensor<1xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>)
//       CHECK:     arith.subi
//       CHECK:     arith.muli
//       CHECK:     arith.muli
//       CHECK:     arith.subi
//       CHECK:   linalg.generic {{.*}} ins(%[[Q]], %{{.+}} : tensor<2x3xi8>, tensor<3x2xi8>) outs(%[[INIT]] : tensor<2x2xi32>)
!w = !quant.uniform<i8:f32:1, {0.5:2, 0.25:-1}>
func.func @dynamic_gemm_weight_zero_point(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1, 2], [3, -4], [1, 2]]> : tensor<3x2xi8>
  %w = quant.scast %c : tensor<3x2xi8> to tensor<3x2x!w>
  %y = qnn.dynamic_gemm %x, %w : (tensor<2x3xf32>, tensor<3x2x!w>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

/// qnn.dynamic_conv: the input padded with 0.0, its run-time quantization
/// (min/max over the padded [1, 2, 5, 5] tensor), the grouped i32
/// convolution of (q - zp) * (w - zw[g, f]) with zero points [3, 3]
/// (per tensor, one per output channel), and acc * (s_x * s_w[f]).
// CHECK-LABEL: func.func @dynamic_conv
//  CHECK-SAME:     %[[X:.+]]: tensor<1x2x3x3xf32>
//       CHECK:   %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:   %[[MIN:.+]] = linalg.generic {{.*}}["reduction", "reduction", "reduction", "reduction"]{{.*}} ins(%[[P]] : tensor<1x2x5x5xf32>)
//       CHECK:   %[[MAX:.+]] = linalg.generic {{.*}} ins(%[[P]] : tensor<1x2x5x5xf32>)
//       CHECK:   %[[PARAMS:.+]]:2 = linalg.generic {{.*}} ins(%[[MIN]], %[[MAX]]
//       CHECK:   %[[Q:.+]] = linalg.generic {{.*}} ins(%[[P]], %[[PARAMS]]#0, %[[PARAMS]]#1 : tensor<1x2x5x5xf32>, tensor<1xf32>, tensor<1xi32>) outs(%{{.+}} : tensor<1x2x5x5xi8>)
//       CHECK:   %[[ZW:.+]] = arith.constant dense<3> : tensor<2x1xi32>
//       CHECK:   %[[ACC:.+]] = linalg.generic {{.*}} ins(%[[Q]], %{{.+}}, %[[PARAMS]]#1, %[[ZW]] : tensor<1x2x5x5xi8>, tensor<2x1x1x3x3xi8>, tensor<1xi32>, tensor<2x1xi32>) outs(%{{.+}} : tensor<1x2x1x3x3xi32>)
//       CHECK:     arith.subi
//       CHECK:     arith.subi
//       CHECK:     arith.muli
//       CHECK:     arith.addi
//       CHECK:   %[[C:.+]] = tensor.collapse_shape %[[ACC]]
//       CHECK:   linalg.generic {{.*}} ins(%[[C]], %[[PARAMS]]#0, %{{.+}} : tensor<1x2x3x3xi32>, tensor<1xf32>, tensor<2xf32>)
//       CHECK:     arith.sitofp
//       CHECK:     arith.mulf
//       CHECK:     arith.mulf
!wc = !quant.uniform<i8:f32, 0.5:3>
func.func @dynamic_conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %c = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %w = quant.scast %c : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!wc>
  %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3x!wc>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

/// Mul with broadcasting, hard_swish as UnaryOp::evaluate computes it
/// (x * max(0, min(1, x / 6 + 0.5)), no libm) and a transpose, in float.
// CHECK-LABEL: func.func @float_mul_hard_swish_transpose
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x2x3xf32>, tensor<2x1xf32>)
//       CHECK:     arith.mulf
//       CHECK:   linalg.generic
//       CHECK:     arith.divf %{{.+}}, %{{.+}} : f32
//       CHECK:     arith.addf
//       CHECK:     arith.cmpf olt
//       CHECK:     arith.select
//       CHECK:     arith.cmpf olt
//       CHECK:     arith.select
//       CHECK:     arith.mulf
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}} : tensor<1x2x3xf32>) outs(%{{.+}} : tensor<1x3x2xf32>)
//   CHECK-NOT:   math.
func.func @float_mul_hard_swish_transpose(%x: tensor<1x2x3xf32>) -> tensor<1x3x2xf32> {
  %k = arith.constant dense<[[2.0], [0.5]]> : tensor<2x1xf32>
  %m = qnn.mul %x, %k : (tensor<1x2x3xf32>, tensor<2x1xf32>) -> tensor<1x2x3xf32>
  %h = qnn.unary %m {function = "hard_swish"} : tensor<1x2x3xf32>
  %t = qnn.transpose %h {perm = array<i64: 0, 2, 1>} : (tensor<1x2x3xf32>) -> tensor<1x3x2xf32>
  return %t : tensor<1x3x2xf32>
}

// -----

/// A per-axis weight dequantized for a float layer (a calibrated Gemm the
/// integer rewrite cannot take, e.g. transA): scale and zero point tables
/// indexed along the quantized axis.
// CHECK-LABEL: func.func @per_axis_dcast
//       CHECK:   %[[S:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
//       CHECK:   %[[Z:.+]] = arith.constant dense<0> : tensor<2xi32>
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %[[S]], %[[Z]] : tensor<2x3xi8>, tensor<2xf32>, tensor<2xi32>) outs(%{{.+}} : tensor<2x3xf32>)
//       CHECK:     arith.subi
//       CHECK:     arith.sitofp
//       CHECK:     arith.mulf
!w = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
func.func @per_axis_dcast(%x: tensor<3x1xf32>) -> tensor<1x2xf32> {
  %c = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %q = quant.scast %c : tensor<2x3xi8> to tensor<2x3x!w>
  %w = quant.dcast %q : tensor<2x3x!w> to tensor<2x3xf32>
  %y = qnn.gemm %x, %w {transA = true, transB = true} : (tensor<3x1xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

/// A float batched MatMul: the rhs batch of 1 broadcasts (index 0), the
/// lhs has no batch dimension of its own for the leading result dimension,
/// and the reduction is the innermost loop.
// CHECK-DAG: #[[$FA:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$FB:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d4, d3)>
// CHECK-DAG: #[[$FC:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @float_batched_matmul
//       CHECK:   linalg.generic {indexing_maps = [#[[$FA]], #[[$FB]], #[[$FC]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<3x2x4xf32>, tensor<2x1x4x5xf32>) outs(%{{.+}} : tensor<2x3x2x5xf32>)
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
func.func @float_batched_matmul(%a: tensor<3x2x4xf32>, %b: tensor<2x1x4x5xf32>) -> tensor<2x3x2x5xf32> {
  %m = qnn.matmul %a, %b : (tensor<3x2x4xf32>, tensor<2x1x4x5xf32>) -> tensor<2x3x2x5xf32>
  return %m : tensor<2x3x2x5xf32>
}

// -----

/// A dilated float max pool reads input oh * s + kh * d in its map.
// CHECK-DAG: #[[$FDIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4 * 2, d3 * 2 + d5 * 3)>
// CHECK-LABEL: func.func @float_max_pool_dilated
//       CHECK:   linalg.generic {indexing_maps = [#[[$FDIN]],
//  CHECK-SAME:     outs(%{{.+}} : tensor<1x1x3x2xf32>)
func.func @float_max_pool_dilated(%x: tensor<1x1x5x7xf32>) -> tensor<1x1x3x2xf32> {
  %0 = qnn.max_pool %x {dilations = array<i64: 2, 3>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 2>} : (tensor<1x1x5x7xf32>) -> tensor<1x1x3x2xf32>
  return %0 : tensor<1x1x3x2xf32>
}

// -----

/// DynamicQuantizeLinear alone: min and max reductions, the scale and the
/// zero point as [1] tensors (the zero point re-centred to int8), the int8
/// data, then the [1] scale and zero point collapsed to the op's scalars.
!raw = !quant.uniform<i8:f32, 1.0:-128>
// CHECK-LABEL: func.func @dynamic_quantize
//  CHECK-SAME:   -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
//       CHECK:   %[[MIN:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]
//       CHECK:   %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]
//       CHECK:   %[[P:.+]]:2 = linalg.generic {{.+}} ins(%[[MIN]], %[[MAX]] : tensor<1xf32>, tensor<1xf32>) outs({{.+}} : tensor<1xf32>, tensor<1xi32>)
//       CHECK:   %[[Q:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[P]]#0, %[[P]]#1 : tensor<2x3xf32>, tensor<1xf32>, tensor<1xi32>) outs(%{{.+}} : tensor<2x3xi8>)
//       CHECK:   %[[Z8:.+]] = linalg.generic {{.+}} ins(%[[P]]#1 : tensor<1xi32>) outs(%{{.+}} : tensor<1xi8>)
//       CHECK:     arith.trunci
//       CHECK:   %[[S:.+]] = tensor.collapse_shape %[[P]]#0 [] : tensor<1xf32> into tensor<f32>
//       CHECK:   %[[Z:.+]] = tensor.collapse_shape %[[Z8]] [] : tensor<1xi8> into tensor<i8>
//       CHECK:   return %[[Q]], %[[S]], %[[Z]]
func.func @dynamic_quantize(%x: tensor<2x3xf32>) -> (tensor<2x3x!raw>, tensor<f32>, tensor<!raw>) {
  %y, %s, %z = qnn.dynamic_quantize %x : tensor<2x3xf32> -> (tensor<2x3x!raw>, tensor<f32>, tensor<!raw>)
  return %y, %s, %z : tensor<2x3x!raw>, tensor<f32>, tensor<!raw>
}
