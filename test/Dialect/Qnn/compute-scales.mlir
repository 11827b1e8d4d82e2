// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-compute-scales))" | FileCheck %s

// Golden values below are computed independently of the pass, in Python
// (double precision), from the formulas of docs/IntegerSemantics.md:
//   QuantizeMultiplier(m): q, e = math.frexp(m); M = floor(q * 2**31 + 0.5);
//     if M == 2**31: M = 2**30, e += 1;  if e < -31: M = 0, e = 0.
//   bias: clamp(round_half_even(b / (s_in * s_w[c])), -2**31, 2**31 - 1).

/// The seed vector of ARCHITECTURE.md §4: s_in = 0.0078125, s_w = 0.0021,
/// s_out = 0.0235. The accumulator scale 1.640625e-05 is exactly the double
/// product 0.0078125 * 0.0021.
///   m = 1.640625e-05 / 0.0235 = 6.981382978723403e-04
///   frexp(m) = (0.714893617..., -10); M = round(0.714893617... * 2^31)
///            = 1535222353, shift = -10
// CHECK-LABEL: func.func @requantize_seed_per_tensor
//       CHECK:   qnn.requantize %{{.*}} {multiplier = array<i32: 1535222353>, shift = array<i32: -10>}
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-128>
func.func @requantize_seed_per_tensor(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc : tensor<1x4x!qacc> to tensor<1x4x!qo>
  return %y : tensor<1x4x!qo>
}

// -----

/// Per-channel accumulator (s_w = {0.0021, 0.0042}): one multiplier per
/// channel. Channel 1 has exactly twice the real multiplier of channel 0, so
/// frexp gives the same mantissa and the exponent grows by one:
///   m[0] = 6.981382978723403e-04 -> (1535222353, -10)
///   m[1] = 1.3962765957446807e-03 -> (1535222353, -9)
// CHECK-LABEL: func.func @requantize_per_channel
//       CHECK:   qnn.requantize %{{.*}} {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>}
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-128>
func.func @requantize_per_channel(%acc: tensor<1x2x4x4x!qacc>) -> tensor<1x2x4x4x!qo> {
  %y = qnn.requantize %acc : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  return %y : tensor<1x2x4x4x!qo>
}

// -----

/// An int8 -> int8 rescale with a real multiplier above one (0.5 / 0.25 = 2):
/// frexp(2.0) = (0.5, 2) -> M = 2^30 = 1073741824, shift = 2. Zero points
/// play no part in the multiplier.
// CHECK-LABEL: func.func @requantize_multiplier_above_one
//       CHECK:   qnn.requantize %{{.*}} {multiplier = array<i32: 1073741824>, shift = array<i32: 2>}
!qa = !quant.uniform<i8:f32, 0.5:7>
!qb = !quant.uniform<i8:f32, 0.25:-3>
func.func @requantize_multiplier_above_one(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  %y = qnn.requantize %x : tensor<4x!qa> to tensor<4x!qb>
  return %y : tensor<4x!qb>
}

// -----

/// m = 1 - 2^-33 (the input scale is written out exactly): frexp gives
/// q = 1 - 2^-33, e = 0, and q * 2^31 = 2^31 - 0.25 rounds to 2^31, so the
/// mantissa is halved and the exponent bumped: M = 2^30 = 1073741824,
/// shift = 1.
// CHECK-LABEL: func.func @requantize_mantissa_rounds_to_two_pow_31
//       CHECK:   qnn.requantize %{{.*}} {multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
!qi = !quant.uniform<i32:f32, 0.99999999988358467817306518554688>
!qo = !quant.uniform<i8:f32, 1.0>
func.func @requantize_mantissa_rounds_to_two_pow_31(%x: tensor<4x!qi>) -> tensor<4x!qo> {
  %y = qnn.requantize %x : tensor<4x!qi> to tensor<4x!qo>
  return %y : tensor<4x!qo>
}

// -----

/// m = 1e-10 = 0.8589934592 * 2^-33: the exponent is below -31, so the
/// multiplier is 0 with shift 0 (everything requantizes to the zero point).
// CHECK-LABEL: func.func @requantize_tiny_multiplier_is_zero
//       CHECK:   qnn.requantize %{{.*}} {multiplier = array<i32: 0>, shift = array<i32: 0>}
!qi = !quant.uniform<i32:f32, 1.0e-10>
!qo = !quant.uniform<i8:f32, 1.0>
func.func @requantize_tiny_multiplier_is_zero(%x: tensor<4x!qi>) -> tensor<4x!qo> {
  %y = qnn.requantize %x : tensor<4x!qi> to tensor<4x!qo>
  return %y : tensor<4x!qo>
}

// -----

/// Stale multipliers are recomputed from the types, so the pass is
/// idempotent; rounding and clamp attributes are kept.
// CHECK-LABEL: func.func @requantize_recomputes_stale_multiplier
//       CHECK:   qnn.requantize %{{.*}} {clamp_min = -3 : i64, multiplier = array<i32: 1073741824>, rounding = #qnn.rounding<double>, shift = array<i32: 2>}
!qa = !quant.uniform<i8:f32, 0.5:7>
!qb = !quant.uniform<i8:f32, 0.25:-3>
func.func @requantize_recomputes_stale_multiplier(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  %y = qnn.requantize %x {clamp_min = -3 : i64, multiplier = array<i32: 5>, rounding = #qnn.rounding<double>, shift = array<i32: -4>} : tensor<4x!qa> to tensor<4x!qb>
  return %y : tensor<4x!qb>
}

// -----

/// A per-channel conv's f32 bias becomes i32 with the scale of each channel:
///   0.5 / 1.640625e-05 = 30476.19 -> 30476
///   -0.25 / 3.28125e-05 = -7619.05 -> -7619
/// and the following requantize gets its multipliers in the same run.
// CHECK-LABEL: func.func @conv_bias_per_channel
//       CHECK:   %[[B:.+]] = arith.constant dense<[30476, -7619]> : tensor<2xi32>
//       CHECK:   %[[ACC:.+]] = qnn.conv %{{.*}}, %{{.*}}, %[[B]]
//  CHECK-SAME:     (tensor<1x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>, tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {2.100000e-03,4.200000e-03}>>, tensor<2xi32>)
//       CHECK:   qnn.requantize %[[ACC]] {multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>}
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-128>
func.func @conv_bias_per_channel(%x: tensor<1x1x4x4x!qx>) -> tensor<1x2x4x4x!qo> {
  %wi = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %w = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xf32>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  return %y : tensor<1x2x4x4x!qo>
}

// -----

/// A gemm's [M, N] bias (a C that varies by row) is quantized with the
/// scale of each column (per-axis weight {0.5, 0.25}, s_a = 0.5):
///   row 0: 0.625 / 0.25 = 2.5 -> 2, 0.625 / 0.125 = 5
///   row 1: -1.0 / 0.25 = -4,        0.1875 / 0.125 = 1.5 -> 2
// CHECK-LABEL: func.func @gemm_matrix_bias_per_column
//       CHECK:   %[[C:.+]] = arith.constant dense<{{\[}}[2, 5], [-4, 2]]> : tensor<2x2xi32>
//       CHECK:   qnn.gemm %{{.*}}, %{{.*}}, %[[C]] {transB = true}
!qa = !quant.uniform<i8:f32, 0.5:10>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!qacc = !quant.uniform<i32:f32:1, {0.25, 0.125}>
func.func @gemm_matrix_bias_per_column(%a: tensor<2x3x!qa>) -> tensor<2x2x!qacc> {
  %wi = arith.constant dense<1> : tensor<2x3xi8>
  %w = quant.scast %wi : tensor<2x3xi8> to tensor<2x3x!qw>
  %c = arith.constant dense<[[0.625, 0.625], [-1.0, 0.1875]]> : tensor<2x2xf32>
  %g = qnn.gemm %a, %w, %c {transB = true} : (tensor<2x3x!qa>, tensor<2x3x!qw>, tensor<2x2xf32>) -> tensor<2x2x!qacc>
  return %g : tensor<2x2x!qacc>
}

// -----

/// Per-tensor gemm, accumulator scale 0.5 * 0.5 = 0.25: ties round half to
/// even and out-of-range values saturate to int32:
///   0.625 / 0.25 = 2.5 -> 2;  0.875 / 0.25 = 3.5 -> 4;  -2.5 -> -2;
///   1e10 / 0.25 = 4e10 -> 2147483647;  -4e10 -> -2147483648.
// CHECK-LABEL: func.func @gemm_bias_ties_to_even_and_saturates
//       CHECK:   %[[C:.+]] = arith.constant dense<[2, 4, -2, 2147483647, -2147483648]> : tensor<5xi32>
//       CHECK:   qnn.gemm %{{.*}}, %{{.*}}, %[[C]] {transB = true}
//  CHECK-SAME:     tensor<5xi32>) -> tensor<1x5x!quant.uniform<i32:f32, 2.500000e-01>>
!qa = !quant.uniform<i8:f32, 0.5:10>
!qw = !quant.uniform<i8<-127:127>:f32, 0.5>
!qacc = !quant.uniform<i32:f32, 0.25>
func.func @gemm_bias_ties_to_even_and_saturates(%a: tensor<1x3x!qa>) -> tensor<1x5x!qacc> {
  %wi = arith.constant dense<1> : tensor<5x3xi8>
  %w = quant.scast %wi : tensor<5x3xi8> to tensor<5x3x!qw>
  %c = arith.constant dense<[0.625, 0.875, -0.625, 1.0e10, -1.0e10]> : tensor<5xf32>
  %g = qnn.gemm %a, %w, %c {transB = true} : (tensor<1x3x!qa>, tensor<5x3x!qw>, tensor<5xf32>) -> tensor<1x5x!qacc>
  return %g : tensor<1x5x!qacc>
}

// -----

/// A float conv keeps its f32 bias: there is no accumulator scale.
// CHECK-LABEL: func.func @negative_float_conv_bias
//       CHECK:   %[[B:.+]] = arith.constant dense<[5.000000e-01, -2.500000e-01]> : tensor<2xf32>
//       CHECK:   qnn.conv %{{.*}}, %{{.*}}, %[[B]]
//   CHECK-NOT:   tensor<2xi32>
func.func @negative_float_conv_bias(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %y = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

/// An i32 bias is already quantized (e.g. from a QDQ model) and is used as
/// is, even when it is not a constant.
// CHECK-LABEL: func.func @negative_i32_bias
//  CHECK-SAME:     %[[B:[^:]+]]: tensor<2xi32>
//   CHECK-NOT:   arith.constant
//       CHECK:   qnn.conv %{{.*}}, %{{.*}}, %[[B]]
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
func.func @negative_i32_bias(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>, %b: tensor<2xi32>) -> tensor<1x2x4x4x!qacc> {
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x4x4x!qacc>
  return %acc : tensor<1x2x4x4x!qacc>
}

// -----

/// A float bias that is not a constant cannot be quantized at compile time.
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
func.func @conv_non_constant_float_bias(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>, %b: tensor<2xf32>) -> tensor<1x2x4x4x!qacc> {
  // expected-error@+1 {{'qnn.conv' op expects a constant f32 bias to quantize}}
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xf32>) -> tensor<1x2x4x4x!qacc>
  return %acc : tensor<1x2x4x4x!qacc>
}

// -----

/// 1.0 / 1e-10 = 1e10 is not below 2^30: no int32 fixed-point form.
!qi = !quant.uniform<i32:f32, 1.0>
!qo = !quant.uniform<i8:f32, 1.0e-10>
func.func @requantize_multiplier_out_of_range(%x: tensor<4x!qi>) -> tensor<4x!qo> {
  // expected-error@+1 {{'qnn.requantize' op real multiplier 1.000000e+10 is out of the fixed-point range [0, 2^30)}}
  %y = qnn.requantize %x : tensor<4x!qi> to tensor<4x!qo>
  return %y : tensor<4x!qo>
}

// -----

/// Global average pooling of a 7x7 window: m = s_in / (49 * s_out)
///   = 0.0235 / (49 * 0.0117) = 0.04099075527646956 (double)
///   frexp(m) = (0.655852084..., -4) -> (1408431627, -4)
// CHECK-LABEL: func.func @global_avg_pool
//       CHECK:   qnn.avg_pool %{{.*}} {kernel_shape = array<i64: 7, 7>, multiplier = array<i32: 1408431627>, pads = array<i64: 0, 0, 0, 0>, shift = array<i32: -4>, strides = array<i64: 1, 1>}
!qa = !quant.uniform<i8:f32, 0.0235:-128>
!qb = !quant.uniform<i8:f32, 0.0117:-100>
func.func @global_avg_pool(%x: tensor<1x4x7x7x!qa>) -> tensor<1x4x1x1x!qb> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 7, 7>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x7x7x!qa>) -> tensor<1x4x1x1x!qb>
  return %p : tensor<1x4x1x1x!qb>
}

// -----

/// A 2x2 window, stride 2, padding 1 on every side of a 2x2 input, padding
/// not counted: every window holds exactly one input element (size 1), so
/// one entry: m = 0.5 / (1 * 0.1875) = 2.666... -> frexp (0.6666..., 2) ->
/// (1431655765, 2). With count_include_pad the size is 4:
/// m = 0.666... -> (1431655765, 0).
// CHECK-LABEL: func.func @avg_pool_window_size_one
//       CHECK:   qnn.avg_pool %{{.*}} {kernel_shape = array<i64: 2, 2>, multiplier = array<i32: 1431655765>, pads = array<i64: 1, 1, 1, 1>, shift = array<i32: 2>, strides = array<i64: 2, 2>}
//       CHECK:   qnn.avg_pool %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 2, 2>, multiplier = array<i32: 1431655765>, pads = array<i64: 1, 1, 1, 1>, shift = array<i32: 0>, strides = array<i64: 2, 2>}
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.1875>
func.func @avg_pool_window_size_one(%x: tensor<1x1x2x2x!qa>) -> (tensor<1x1x2x2x!qb>, tensor<1x1x2x2x!qb>) {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2x!qa>) -> tensor<1x1x2x2x!qb>
  %c = qnn.avg_pool %x {count_include_pad = true, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2x!qa>) -> tensor<1x1x2x2x!qb>
  return %p, %c : tensor<1x1x2x2x!qb>, tensor<1x1x2x2x!qb>
}

// -----

/// Window sizes 4, 6 and 9 (3x3, padding 1, 4x4 input): one entry each in
/// increasing order, m = 0.5 / (n * 0.25) = 2 / n:
///   0.5 -> (1073741824, 0), 1/3 -> (1431655765, -1), 2/9 -> (1908874354, -2)
// CHECK-LABEL: func.func @avg_pool_three_window_sizes
//       CHECK:   multiplier = array<i32: 1073741824, 1431655765, 1908874354>
//  CHECK-SAME:   shift = array<i32: 0, -1, -2>
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
func.func @avg_pool_three_window_sizes(%x: tensor<1x1x4x4x!qa>) -> tensor<1x1x4x4x!qb> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qa>) -> tensor<1x1x4x4x!qb>
  return %p : tensor<1x1x4x4x!qb>
}

// -----

/// A float average pool has no multiplier.
// CHECK-LABEL: func.func @negative_float_avg_pool
//   CHECK-NOT:   multiplier
func.func @negative_float_avg_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %p : tensor<1x1x2x2xf32>
}
