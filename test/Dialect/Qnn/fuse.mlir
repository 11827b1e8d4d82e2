// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fuse))" | FileCheck %s

// Clamp bounds are computed independently of the pass, in Python with
// float32 division as ONNX QuantizeLinear does:
//   q(x) = clamp(round_half_even(float32(x) / float32(scale)) + zp, -128, 127)

/// ReLU after a requantize is the clamp at the output zero point (-5); the
/// upper bound is the storage maximum.
// CHECK-LABEL: func.func @relu_into_requantize_clamp
//       CHECK:   %[[R:.+]] = qnn.requantize %{{.*}} {clamp_max = 127 : i64, clamp_min = -5 : i64, multiplier = array<i32: 1535222353>, shift = array<i32: -10>}
//   CHECK-NOT:   qnn.relu
//       CHECK:   return %[[R]]
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @relu_into_requantize_clamp(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353>, shift = array<i32: -10>} : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %r = qnn.relu %y : tensor<1x4x!qo>
  return %r : tensor<1x4x!qo>
}

// -----

/// ReLU6 as Clip(0, 6) with scale 0.047, zero point -20:
///   min: round(0 / 0.047) - 20 = -20
///   max: round(6 / 0.047) - 20 = round(127.6596) - 20 = 108
/// The requantize need not have multipliers yet for this fold.
// CHECK-LABEL: func.func @clip_into_requantize_clamp
//       CHECK:   %[[R:.+]] = qnn.requantize %{{.*}} {clamp_max = 108 : i64, clamp_min = -20 : i64}
//   CHECK-NOT:   qnn.clip
//       CHECK:   return %[[R]]
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.047:-20>
func.func @clip_into_requantize_clamp(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %c = qnn.clip %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x!qo>
  return %c : tensor<1x4x!qo>
}

// -----

/// A Clip bound beyond the representable range saturates:
/// round(6 / 0.01) + 0 = 600 -> 127.
// CHECK-LABEL: func.func @clip_max_saturates
//       CHECK:   qnn.requantize %{{.*}} {clamp_max = 127 : i64, clamp_min = 0 : i64}
//   CHECK-NOT:   qnn.clip
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.01>
func.func @clip_max_saturates(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %c = qnn.clip %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x!qo>
  return %c : tensor<1x4x!qo>
}

// -----

/// A Clip with only a lower bound (-1.0): round(-1 / 0.047) - 20 =
/// round(-21.2766) - 20 = -41; the upper bound stays the storage maximum.
// CHECK-LABEL: func.func @clip_min_only
//       CHECK:   qnn.requantize %{{.*}} {clamp_max = 127 : i64, clamp_min = -41 : i64}
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.047:-20>
func.func @clip_min_only(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %c = qnn.clip %y {min = -1.0 : f32} : tensor<1x4x!qo>
  return %c : tensor<1x4x!qo>
}

// -----

/// An existing clamp is intersected with the activation's: [-128, 50] and
/// ReLU's [-5, 127] give [-5, 50].
// CHECK-LABEL: func.func @relu_intersects_existing_clamp
//       CHECK:   qnn.requantize %{{.*}} {clamp_max = 50 : i64, clamp_min = -5 : i64}
//   CHECK-NOT:   qnn.relu
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @relu_intersects_existing_clamp(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc {clamp_max = 50 : i64} : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %r = qnn.relu %y : tensor<1x4x!qo>
  return %r : tensor<1x4x!qo>
}

// -----

/// conv -> requantize -> relu -> max_pool: the relu folds into the clamp
/// (zero point -5), then the chain becomes one conv_relu_pool that carries
/// the per-channel multipliers and shifts, the rounding, the i32 bias and
/// the conv and pool geometry unchanged.
// CHECK-LABEL: func.func @conv_relu_pool
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<1x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>
//       CHECK:   %[[B:.+]] = arith.constant dense<[30476, -7619]> : tensor<2xi32>
//       CHECK:   %[[W:.+]] = quant.scast
//   CHECK-NOT:   {{qnn\.conv |qnn\.requantize|qnn\.relu|qnn\.max_pool}}
//       CHECK:   %[[F:.+]] = qnn.conv_relu_pool %[[X]], %[[W]], %[[B]]
//  CHECK-SAME:     clamp_max = 127 : i64, clamp_min = -5 : i64
//  CHECK-SAME:     conv_dilations = array<i64: 1, 1>, conv_pads = array<i64: 1, 1, 1, 1>, conv_strides = array<i64: 1, 1>
//  CHECK-SAME:     multiplier = array<i32: 1535222353, 1535222353>
//  CHECK-SAME:     pool_kernel = array<i64: 2, 2>, pool_pads = array<i64: 0, 0, 0, 0>, pool_strides = array<i64: 2, 2>
//  CHECK-SAME:     rounding = #qnn.rounding<single>, shift = array<i32: -10, -9>
//  CHECK-SAME:     -> tensor<1x2x2x2x!quant.uniform<i8:f32, 2.350000e-02:-5>>
//  CHECK-NEXT:   return %[[F]]
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @conv_relu_pool(%x: tensor<1x1x4x4x!qx>) -> tensor<1x2x2x2x!qo> {
  %wi = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %w = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %b = arith.constant dense<[30476, -7619]> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %r = qnn.relu %y : tensor<1x2x4x4x!qo>
  %p = qnn.max_pool %r {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qo>) -> tensor<1x2x2x2x!qo>
  return %p : tensor<1x2x2x2x!qo>
}

// -----

/// Without an activation and without a bias: the clamp is the full storage
/// range, the bias a zero i32 constant, and double rounding is carried over
/// (the multiplier 0.0625 / 1.0 = 0.5 * 2^-3 is M = 2^30, shift -3).
// CHECK-LABEL: func.func @conv_pool_no_bias_double_rounding
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<0> : tensor<1xi32>
//       CHECK:   qnn.conv_relu_pool %{{.*}}, %{{.*}}, %[[B]]
//  CHECK-SAME:     clamp_max = 127 : i64, clamp_min = -128 : i64
//  CHECK-SAME:     multiplier = array<i32: 1073741824>
//  CHECK-SAME:     pool_kernel = array<i64: 3, 3>, pool_pads = array<i64: 1, 1, 1, 1>, pool_strides = array<i64: 2, 2>
//  CHECK-SAME:     rounding = #qnn.rounding<double>, shift = array<i32: -3>
//  CHECK-SAME:     -> tensor<1x1x2x2x!quant.uniform<i8:f32, 1.000000e+00:3>>
!qx = !quant.uniform<i8:f32, 0.5:1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.125>
!qacc = !quant.uniform<i32:f32, 0.0625>
!qo = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_pool_no_bias_double_rounding(%x: tensor<1x1x4x4x!qx>) -> tensor<1x1x2x2x!qo> {
  %wi = arith.constant dense<2> : tensor<1x1x1x1xi8>
  %w = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!qw>
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x1x1x!qw>) -> tensor<1x1x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1073741824>, rounding = #qnn.rounding<double>, shift = array<i32: -3>} : tensor<1x1x4x4x!qacc> to tensor<1x1x4x4x!qo>
  %p = qnn.max_pool %y {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!qo>) -> tensor<1x1x2x2x!qo>
  return %p : tensor<1x1x2x2x!qo>
}

// -----

/// A dilated max pool has no place in conv_relu_pool's pool geometry: the
/// chain stays unfused.
// CHECK-LABEL: func.func @negative_dilated_pool
//       CHECK:   qnn.conv
//       CHECK:   qnn.requantize
//       CHECK:   qnn.max_pool {{.*}}dilations = array<i64: 2, 2>
//   CHECK-NOT:   qnn.conv_relu_pool
!qx = !quant.uniform<i8:f32, 0.5:1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.125>
!qacc = !quant.uniform<i32:f32, 0.0625>
!qo = !quant.uniform<i8:f32, 1.0:3>
func.func @negative_dilated_pool(%x: tensor<1x1x4x4x!qx>) -> tensor<1x1x2x2x!qo> {
  %wi = arith.constant dense<2> : tensor<1x1x1x1xi8>
  %w = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!qw>
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x1x1x!qw>) -> tensor<1x1x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : tensor<1x1x4x4x!qacc> to tensor<1x1x4x4x!qo>
  %p = qnn.max_pool %y {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qo>) -> tensor<1x1x2x2x!qo>
  return %p : tensor<1x1x2x2x!qo>
}

// -----

/// The requantize result has a second use: folding the relu into its clamp
/// would change what the other user sees.
// CHECK-LABEL: func.func @negative_requantize_two_uses
//       CHECK:   %[[R:.+]] = qnn.requantize
//   CHECK-NOT:     clamp_min
//       CHECK:   %[[A:.+]] = qnn.relu %[[R]]
//       CHECK:   return %[[A]], %[[R]]
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_requantize_two_uses(%acc: tensor<1x4x!qacc>) -> (tensor<1x4x!qo>, tensor<1x4x!qo>) {
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353>, shift = array<i32: -10>} : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %r = qnn.relu %y : tensor<1x4x!qo>
  return %r, %y : tensor<1x4x!qo>, tensor<1x4x!qo>
}

// -----

/// A relu whose input is not a requantize stays.
// CHECK-LABEL: func.func @negative_relu_without_requantize
//       CHECK:   qnn.relu
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_relu_without_requantize(%x: tensor<1x4x!qo>) -> tensor<1x4x!qo> {
  %r = qnn.relu %x : tensor<1x4x!qo>
  return %r : tensor<1x4x!qo>
}

// -----

/// The requantize's clamp [-128, -50] and ReLU's [-5, 127] do not
/// intersect: nothing folds.
// CHECK-LABEL: func.func @negative_empty_clamp_range
//       CHECK:   qnn.requantize %{{.*}} {clamp_max = -50 : i64}
//       CHECK:   qnn.relu
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_empty_clamp_range(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc {clamp_max = -50 : i64} : tensor<1x4x!qacc> to tensor<1x4x!qo>
  %r = qnn.relu %y : tensor<1x4x!qo>
  return %r : tensor<1x4x!qo>
}

// -----

/// No multipliers yet (qnn-compute-scales has not run): no conv_relu_pool,
/// although the relu still folds into the clamp.
// CHECK-LABEL: func.func @negative_pool_fusion_without_multipliers
//       CHECK:   %[[ACC:.+]] = qnn.conv
//       CHECK:   %[[R:.+]] = qnn.requantize %[[ACC]] {clamp_max = 127 : i64, clamp_min = -5 : i64}
//       CHECK:   qnn.max_pool %[[R]]
//   CHECK-NOT:   qnn.conv_relu_pool
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_pool_fusion_without_multipliers(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>) -> tensor<1x2x2x2x!qo> {
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %r = qnn.relu %y : tensor<1x2x4x4x!qo>
  %p = qnn.max_pool %r {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qo>) -> tensor<1x2x2x2x!qo>
  return %p : tensor<1x2x2x2x!qo>
}

// -----

/// The requantize also feeds the function result: fusing the pool would
/// need the unpooled value as well.
// CHECK-LABEL: func.func @negative_pool_fusion_requantize_two_uses
//       CHECK:   qnn.conv
//       CHECK:   qnn.requantize
//       CHECK:   qnn.max_pool
//   CHECK-NOT:   qnn.conv_relu_pool
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_pool_fusion_requantize_two_uses(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>) -> (tensor<1x2x2x2x!qo>, tensor<1x2x4x4x!qo>) {
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %p = qnn.max_pool %y {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qo>) -> tensor<1x2x2x2x!qo>
  return %p, %y : tensor<1x2x2x2x!qo>, tensor<1x2x4x4x!qo>
}

// -----

/// A conv whose bias is still f32 (compute-scales not run on it) is not
/// fused: conv_relu_pool takes an i32 bias.
// CHECK-LABEL: func.func @negative_pool_fusion_float_bias
//       CHECK:   qnn.conv
//       CHECK:   qnn.max_pool
//   CHECK-NOT:   qnn.conv_relu_pool
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_pool_fusion_float_bias(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>) -> tensor<1x2x2x2x!qo> {
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xf32>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %p = qnn.max_pool %y {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qo>) -> tensor<1x2x2x2x!qo>
  return %p : tensor<1x2x2x2x!qo>
}

// -----

/// A requantize of an int8 tensor (no conv) before a pool is not fused.
// CHECK-LABEL: func.func @negative_pool_fusion_no_conv
//       CHECK:   qnn.requantize
//       CHECK:   qnn.max_pool
//   CHECK-NOT:   qnn.conv_relu_pool
!qa = !quant.uniform<i8:f32, 0.5:7>
!qb = !quant.uniform<i8:f32, 0.25:-3>
func.func @negative_pool_fusion_no_conv(%x: tensor<1x1x4x4x!qa>) -> tensor<1x1x2x2x!qb> {
  %y = qnn.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 2>} : tensor<1x1x4x4x!qa> to tensor<1x1x4x4x!qb>
  %p = qnn.max_pool %y {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!qb>) -> tensor<1x1x2x2x!qb>
  return %p : tensor<1x1x2x2x!qb>
}

// -----

/// A depthwise (grouped) conv is not fused with the pool: qnn.conv_relu_pool
/// is a group-1 convolution. The ReLU6 clip [0, 6] still becomes the
/// requantize clamp: 0 -> -5 and 6 / 0.0235 + (-5) = 250.3 -> 127.
// CHECK-LABEL: func.func @negative_pool_fusion_grouped_conv
//       CHECK:   %[[ACC:.+]] = qnn.conv {{.*}}group = 2 : i64
//       CHECK:   %[[Y:.+]] = qnn.requantize %[[ACC]] {clamp_max = 127 : i64, clamp_min = -5 : i64
//       CHECK:   qnn.max_pool %[[Y]]
//   CHECK-NOT:   qnn.conv_relu_pool
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @negative_pool_fusion_grouped_conv(%x: tensor<1x2x4x4x!qx>) -> tensor<1x2x2x2x!qo> {
  %wi = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %w = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %b = arith.constant dense<[30476, -7619]> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %r = qnn.clip %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x4x4x!qo>
  %p = qnn.max_pool %r {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qo>) -> tensor<1x2x2x2x!qo>
  return %p : tensor<1x2x2x2x!qo>
}
