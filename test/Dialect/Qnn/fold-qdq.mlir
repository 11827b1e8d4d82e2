// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-qdq))" | FileCheck %s
// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-qdq{rounding=double}))" | FileCheck %s --check-prefix=DOUBLE
// RUN: not quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-qdq{rounding=nearest}))" 2>&1 | FileCheck %s --check-prefix=BAD-ROUNDING

/// An unknown rounding mode is an error naming the mode, on every function.
// BAD-ROUNDING: error: unknown rounding mode 'nearest' (expected single or double)

/// Same quantized type on both sides: the pair is an identity.
// CHECK-LABEL: func.func @fold_identity_pair
//  CHECK-SAME:     %[[X:.+]]: tensor<4x!quant.uniform
//   CHECK-NOT:   quant.dcast
//       CHECK:   return %[[X]]
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @fold_identity_pair(%x: tensor<4x!q>) -> tensor<4x!q> {
  %f = quant.dcast %x : tensor<4x!q> to tensor<4xf32>
  %y = quant.qcast %f : tensor<4xf32> to tensor<4x!q>
  return %y : tensor<4x!q>
}

// -----

/// Scale changes 0.5 -> 0.25: one integer requantize, no float.
// CHECK-LABEL: func.func @requantize_on_scale_change
//  CHECK-SAME:     %[[X:.+]]: tensor<4x!quant.uniform
//       CHECK:   %[[R:.+]] = qnn.requantize %[[X]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>
//       CHECK:   return %[[R]]
// DOUBLE-LABEL: func.func @requantize_on_scale_change
//       DOUBLE:   qnn.requantize %{{.*}} {rounding = #qnn.rounding<double>}
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @requantize_on_scale_change(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  %f = quant.dcast %x : tensor<4x!qa> to tensor<4xf32>
  %y = quant.qcast %f : tensor<4xf32> to tensor<4x!qb>
  return %y : tensor<4x!qb>
}

// -----

/// A float op sits between the casts that is not a qnn op: nothing folds.
// CHECK-LABEL: func.func @negative_float_op_between
//       CHECK:   quant.dcast
//       CHECK:   arith.negf
//       CHECK:   quant.qcast
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @negative_float_op_between(%x: tensor<4x!q>) -> tensor<4x!q> {
  %f = quant.dcast %x : tensor<4x!q> to tensor<4xf32>
  %n = arith.negf %f : tensor<4xf32>
  %y = quant.qcast %n : tensor<4xf32> to tensor<4x!q>
  return %y : tensor<4x!q>
}

// -----

/// Conv + Relu between QDQ with per-channel weights and an int32 bias whose
/// scale matches s_in * s_w[c]: integer conv to the i32 accumulator (scales
/// multiplied), requantize, relu; the function boundary becomes quantized.
// CHECK-LABEL: func.func @conv_relu_per_channel
//  CHECK-SAME:     %[[X:.+]]: tensor<1x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>
//  CHECK-SAME:     -> tensor<1x2x4x4x!quant.uniform<i8:f32, 2.350000e-02:-128>>
//   CHECK-DAG:   %[[W:.+]] = quant.scast %{{.*}} : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {2.100000e-03,4.200000e-03}>>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[5, -7]> : tensor<2xi32>
//       CHECK:   %[[ACC:.+]] = qnn.conv %[[X]], %[[W]], %[[B]]
//  CHECK-SAME:     -> tensor<1x2x4x4x!quant.uniform<i32:f32:1, {1.6406249999999999E-5,3.281250e-05}>>
//       CHECK:   %[[R:.+]] = qnn.requantize %[[ACC]] : {{.*}} to tensor<1x2x4x4x!quant.uniform<i8:f32, 2.350000e-02:-128>>
//       CHECK:   %[[A:.+]] = qnn.relu %[[R]]
//       CHECK:   return %[[A]]
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qb = !quant.uniform<i32:f32:0, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-128>
func.func @conv_relu_per_channel(%in: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xq = quant.qcast %in : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!qx>
  %x = quant.dcast %xq : tensor<1x1x4x4x!qx> to tensor<1x1x4x4xf32>
  %wi = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %wq = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %w = quant.dcast %wq : tensor<2x1x3x3x!qw> to tensor<2x1x3x3xf32>
  %bi = arith.constant dense<[5, -7]> : tensor<2xi32>
  %bq = quant.scast %bi : tensor<2xi32> to tensor<2x!qb>
  %b = quant.dcast %bq : tensor<2x!qb> to tensor<2xf32>
  %c = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = qnn.relu %c : tensor<1x2x4x4xf32>
  %rq = quant.qcast %r : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!qo>
  %rd = quant.dcast %rq : tensor<1x2x4x4x!qo> to tensor<1x2x4x4xf32>
  return %rd : tensor<1x2x4x4xf32>
}

// -----

/// A float bias stays f32 for qnn-compute-scales; Gemm with transB and
/// per-tensor weights gets a per-tensor accumulator.
// CHECK-LABEL: func.func @gemm_float_bias
//       CHECK:   %[[B:.+]] = arith.constant dense<{{.*}}> : tensor<3xf32>
//       CHECK:   %[[ACC:.+]] = qnn.gemm %{{.*}}, %{{.*}}, %[[B]] {transB = true}
//  CHECK-SAME:     -> tensor<1x3x!quant.uniform<i32:f32, 2.500000e-02>>
//       CHECK:   qnn.requantize %[[ACC]]
!qa = !quant.uniform<i8:f32, 0.25:10>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
!qo = !quant.uniform<i8:f32, 0.5:-1>
func.func @gemm_float_bias(%a: tensor<1x4x!qa>) -> tensor<1x3x!qo> {
  %x = quant.dcast %a : tensor<1x4x!qa> to tensor<1x4xf32>
  %wi = arith.constant dense<3> : tensor<3x4xi8>
  %wq = quant.scast %wi : tensor<3x4xi8> to tensor<3x4x!qw>
  %w = quant.dcast %wq : tensor<3x4x!qw> to tensor<3x4xf32>
  %b = arith.constant dense<[0.5, -0.25, 1.0]> : tensor<3xf32>
  %g = qnn.gemm %x, %w, %b {transB = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %q = quant.qcast %g : tensor<1x3xf32> to tensor<1x3x!qo>
  return %q : tensor<1x3x!qo>
}

// -----

/// A batched MatMul with a per-column rhs (axis 2 of [B, K, N]) gets an
/// accumulator quantized along its last axis, 0.25 * {0.1, 0.2} (printed
/// in float32: 0.2 * 0.25 = 0.05 becomes 5.000000e-02).
// CHECK-LABEL: func.func @batched_matmul_per_axis
//       CHECK:   %[[ACC:.+]] = qnn.matmul
//  CHECK-SAME:     -> tensor<2x1x2x!quant.uniform<i32:f32:2, {2.500000e-02,5.000000e-02}>>
//       CHECK:   qnn.requantize %[[ACC]]
!qa = !quant.uniform<i8:f32, 0.25:10>
!qw = !quant.uniform<i8<-127:127>:f32:2, {0.1, 0.2}>
!qo = !quant.uniform<i8:f32, 0.5:-1>
func.func @batched_matmul_per_axis(%a: tensor<2x1x4x!qa>) -> tensor<2x1x2x!qo> {
  %x = quant.dcast %a : tensor<2x1x4x!qa> to tensor<2x1x4xf32>
  %wi = arith.constant dense<3> : tensor<2x4x2xi8>
  %wq = quant.scast %wi : tensor<2x4x2xi8> to tensor<2x4x2x!qw>
  %w = quant.dcast %wq : tensor<2x4x2x!qw> to tensor<2x4x2xf32>
  %m = qnn.matmul %x, %w : (tensor<2x1x4xf32>, tensor<2x4x2xf32>) -> tensor<2x1x2xf32>
  %q = quant.qcast %m : tensor<2x1x2xf32> to tensor<2x1x2x!qo>
  return %q : tensor<2x1x2x!qo>
}

// -----

/// A MatMul of two activations: the rhs keeps its zero point and the
/// accumulator scale is s_a * s_b = 0.25 * 0.5.
// CHECK-LABEL: func.func @matmul_two_activations
//  CHECK-SAME:     %[[A:[^:]+]]: tensor<2x4x!quant.uniform<i8:f32, 2.500000e-01:10>>, %[[B:[^:]+]]: tensor<4x3x!quant.uniform<i8:f32, 5.000000e-01:-7>>
//       CHECK:   %[[ACC:.+]] = qnn.matmul %[[A]], %[[B]]
//  CHECK-SAME:     -> tensor<2x3x!quant.uniform<i32:f32, 1.250000e-01>>
//       CHECK:   qnn.requantize %[[ACC]]
!qa = !quant.uniform<i8:f32, 0.25:10>
!qb = !quant.uniform<i8:f32, 0.5:-7>
!qo = !quant.uniform<i8:f32, 0.5:-1>
func.func @matmul_two_activations(%a: tensor<2x4x!qa>, %b: tensor<4x3x!qb>) -> tensor<2x3x!qo> {
  %x = quant.dcast %a : tensor<2x4x!qa> to tensor<2x4xf32>
  %y = quant.dcast %b : tensor<4x3x!qb> to tensor<4x3xf32>
  %m = qnn.matmul %x, %y : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %q = quant.qcast %m : tensor<2x3xf32> to tensor<2x3x!qo>
  return %q : tensor<2x3x!qo>
}

// -----

/// A bias that varies by row ([M, N]) is the integer gemm's bias matrix.
// CHECK-LABEL: func.func @gemm_matrix_bias
//       CHECK:   %[[B:.+]] = arith.constant dense<{{.*}}> : tensor<2x3xf32>
//       CHECK:   %[[ACC:.+]] = qnn.gemm %{{.*}}, %{{.*}}, %[[B]] {transB = true}
//  CHECK-SAME:     -> tensor<2x3x!quant.uniform<i32:f32, 2.500000e-02>>
//       CHECK:   qnn.requantize %[[ACC]]
!qa = !quant.uniform<i8:f32, 0.25:10>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
!qo = !quant.uniform<i8:f32, 0.5:-1>
func.func @gemm_matrix_bias(%a: tensor<2x4x!qa>) -> tensor<2x3x!qo> {
  %x = quant.dcast %a : tensor<2x4x!qa> to tensor<2x4xf32>
  %wi = arith.constant dense<3> : tensor<3x4xi8>
  %wq = quant.scast %wi : tensor<3x4xi8> to tensor<3x4x!qw>
  %w = quant.dcast %wq : tensor<3x4x!qw> to tensor<3x4xf32>
  %b = arith.constant dense<[[0.5, -0.25, 1.0], [2.0, 0.0, -1.0]]> : tensor<2x3xf32>
  %g = qnn.gemm %x, %w, %b {transB = true} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = quant.qcast %g : tensor<2x3xf32> to tensor<2x3x!qo>
  return %q : tensor<2x3x!qo>
}

// -----

/// A single bias value broadcast over three columns has no per-column
/// integer form: the gemm stays float (the int8 lowering reports it).
// CHECK-LABEL: func.func @negative_gemm_broadcast_bias
//       CHECK:   qnn.gemm {{.*}} -> tensor<1x3xf32>
//       CHECK:   quant.qcast
!qa = !quant.uniform<i8:f32, 0.25:10>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
!qo = !quant.uniform<i8:f32, 0.5:-1>
func.func @negative_gemm_broadcast_bias(%a: tensor<1x4x!qa>) -> tensor<1x3x!qo> {
  %x = quant.dcast %a : tensor<1x4x!qa> to tensor<1x4xf32>
  %wi = arith.constant dense<3> : tensor<3x4xi8>
  %wq = quant.scast %wi : tensor<3x4xi8> to tensor<3x4x!qw>
  %w = quant.dcast %wq : tensor<3x4x!qw> to tensor<3x4xf32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %g = qnn.gemm %x, %w, %b {transB = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<1xf32>) -> tensor<1x3xf32>
  %q = quant.qcast %g : tensor<1x3xf32> to tensor<1x3x!qo>
  return %q : tensor<1x3x!qo>
}

// -----

/// Mixed precision: a product marked qnn.keep_float (by qnn-calibrate) stays
/// a float op between its input's dcast and its output's qcast, even when
/// its weight is quantized; the relu after it stays float too.
// CHECK-LABEL: func.func @negative_keep_float_conv_relu
//       CHECK:   %[[X:.+]] = quant.dcast
//       CHECK:   %[[C:.+]] = qnn.conv %[[X]], %{{.+}} {{{.*}}qnn.keep_float{{.*}}} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
//       CHECK:   %[[R:.+]] = qnn.relu %[[C]] : tensor<1x1x2x2xf32>
//       CHECK:   quant.qcast %[[R]]
//   CHECK-NOT:   qnn.requantize
!qa = !quant.uniform<i8:f32, 0.25:10>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
!qo = !quant.uniform<i8:f32, 0.5:-128>
func.func @negative_keep_float_conv_relu(%a: tensor<1x1x2x2x!qa>) -> tensor<1x1x2x2x!qo> {
  %x = quant.dcast %a : tensor<1x1x2x2x!qa> to tensor<1x1x2x2xf32>
  %wi = arith.constant dense<3> : tensor<1x1x1x1xi8>
  %wq = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!qw>
  %w = quant.dcast %wq : tensor<1x1x1x1x!qw> to tensor<1x1x1x1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, qnn.keep_float} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %r = qnn.relu %c : tensor<1x1x2x2xf32>
  %q = quant.qcast %r : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!qo>
  return %q : tensor<1x1x2x2x!qo>
}

// -----

/// Max pooling and flatten keep their input's type: no requantize.
// CHECK-LABEL: func.func @pool_flatten_keep_type
//       CHECK:   %[[P:.+]] = qnn.max_pool %{{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
//       CHECK:   %[[F:.+]] = qnn.flatten %[[P]]
//   CHECK-NOT:   qnn.requantize
//       CHECK:   return %[[F]]
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @pool_flatten_keep_type(%x: tensor<1x2x4x4x!q>) -> tensor<1x8x!q> {
  %d = quant.dcast %x : tensor<1x2x4x4x!q> to tensor<1x2x4x4xf32>
  %p = qnn.max_pool %d {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %pq = quant.qcast %p : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!q>
  %pd = quant.dcast %pq : tensor<1x2x2x2x!q> to tensor<1x2x2x2xf32>
  %f = qnn.flatten %pd {axis = 1 : i64} : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32>
  %fq = quant.qcast %f : tensor<1x8xf32> to tensor<1x8x!q>
  return %fq : tensor<1x8x!q>
}

// -----

/// Weights with a non-zero zero point cannot feed the int8 product.
// CHECK-LABEL: func.func @negative_weight_zero_point
//       CHECK:   qnn.conv {{.*}} -> tensor<1x1x2x2xf32>
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.5:4>
func.func @negative_weight_zero_point(%x: tensor<1x1x4x4x!qx>) -> tensor<1x1x2x2x!qx> {
  %d = quant.dcast %x : tensor<1x1x4x4x!qx> to tensor<1x1x4x4xf32>
  %wi = arith.constant dense<1> : tensor<1x1x3x3xi8>
  %wq = quant.scast %wi : tensor<1x1x3x3xi8> to tensor<1x1x3x3x!qw>
  %w = quant.dcast %wq : tensor<1x1x3x3x!qw> to tensor<1x1x3x3xf32>
  %c = qnn.conv %d, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  %q = quant.qcast %c : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!qx>
  return %q : tensor<1x1x2x2x!qx>
}

// -----

/// Add of two quantized tensors becomes an integer qnn.add.
// CHECK-LABEL: func.func @add_int8
//       CHECK:   qnn.add %{{.*}}, %{{.*}} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<4x!quant.uniform<i8:f32, 2.500000e-01:3>>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e+00:-2>>
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25:3>
!qo = !quant.uniform<i8:f32, 1.0:-2>
func.func @add_int8(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qo> {
  %x = quant.dcast %a : tensor<4x!qa> to tensor<4xf32>
  %y = quant.dcast %b : tensor<4x!qb> to tensor<4xf32>
  %s = qnn.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = quant.qcast %s : tensor<4xf32> to tensor<4x!qo>
  return %q : tensor<4x!qo>
}

// -----

/// Global average pooling between QDQ: the integer qnn.avg_pool goes from
/// the input's type straight to the qcast type (its own parameters), with
/// the pass's rounding; qnn-compute-scales fills the multiplier later.
// CHECK-LABEL: func.func @global_avg_pool
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
//       CHECK:   %[[P:.+]] = qnn.avg_pool %[[X]] {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 1.250000e-01:4>>
//   CHECK-NOT:   qnn.requantize
//       CHECK:   return %[[P]]
// DOUBLE-LABEL: func.func @global_avg_pool
//       DOUBLE:   qnn.avg_pool {{.*}}rounding = #qnn.rounding<double>
!qx = !quant.uniform<i8:f32, 0.5:-3>
!qo = !quant.uniform<i8:f32, 0.125:4>
func.func @global_avg_pool(%x: tensor<1x2x3x3x!qx>) -> tensor<1x2x1x1x!qo> {
  %d = quant.dcast %x : tensor<1x2x3x3x!qx> to tensor<1x2x3x3xf32>
  %p = qnn.avg_pool %d {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  %q = quant.qcast %p : tensor<1x2x1x1xf32> to tensor<1x2x1x1x!qo>
  return %q : tensor<1x2x1x1x!qo>
}

// -----

/// count_include_pad and the window attributes carry over.
// CHECK-LABEL: func.func @avg_pool_count_include_pad
//       CHECK:   qnn.avg_pool %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @avg_pool_count_include_pad(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!q> {
  %d = quant.dcast %x : tensor<1x1x4x4x!q> to tensor<1x1x4x4xf32>
  %p = qnn.avg_pool %d {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %q = quant.qcast %p : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  return %q : tensor<1x1x2x2x!q>
}

// -----

/// An average pool whose input is not dequantized stays in float.
// CHECK-LABEL: func.func @negative_avg_pool_float_input
//       CHECK:   qnn.avg_pool %{{.*}} -> tensor<1x1x2x2xf32>
//       CHECK:   quant.qcast
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @negative_avg_pool_float_input(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2x!q> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %q = quant.qcast %p : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  return %q : tensor<1x1x2x2x!q>
}

// -----

/// Concat: each input is requantized to the output's type (the second
/// already has it), then an integer qnn.concat.
// CHECK-LABEL: func.func @concat_requantizes_inputs
//  CHECK-SAME:     (%[[A:[^:]+]]: tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %[[B:[^:]+]]: tensor<1x3x!quant.uniform<i8:f32, 2.500000e-01:1>>)
//       CHECK:   %[[RA:.+]] = qnn.requantize %[[A]] : tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<1x2x!quant.uniform<i8:f32, 2.500000e-01:1>>
//       CHECK:   %[[C:.+]] = qnn.concat %[[RA]], %[[B]] {axis = 1 : i64} : (tensor<1x2x!quant.uniform<i8:f32, 2.500000e-01:1>>, tensor<1x3x!quant.uniform<i8:f32, 2.500000e-01:1>>) -> tensor<1x5x!quant.uniform<i8:f32, 2.500000e-01:1>>
//       CHECK:   return %[[C]]
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qo = !quant.uniform<i8:f32, 0.25:1>
func.func @concat_requantizes_inputs(%a: tensor<1x2x!qa>, %b: tensor<1x3x!qo>) -> tensor<1x5x!qo> {
  %x = quant.dcast %a : tensor<1x2x!qa> to tensor<1x2xf32>
  %y = quant.dcast %b : tensor<1x3x!qo> to tensor<1x3xf32>
  %c = qnn.concat %x, %y {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  %q = quant.qcast %c : tensor<1x5xf32> to tensor<1x5x!qo>
  return %q : tensor<1x5x!qo>
}

// -----

/// A concat with a float (not dequantized) input stays in float.
// CHECK-LABEL: func.func @negative_concat_float_input
//       CHECK:   qnn.concat {{.*}} -> tensor<1x4xf32>
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @negative_concat_float_input(%a: tensor<1x2x!q>, %b: tensor<1x2xf32>) -> tensor<1x4x!q> {
  %x = quant.dcast %a : tensor<1x2x!q> to tensor<1x2xf32>
  %c = qnn.concat %x, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %q = quant.qcast %c : tensor<1x4xf32> to tensor<1x4x!q>
  return %q : tensor<1x4x!q>
}

// -----

/// A residual block as calibration leaves it: the block input %x feeds both
/// a 1x1 conv and the add; the conv's output and the add's output have their
/// own QDQ. The conv becomes the int8 conv + requantize, the add an integer
/// qnn.add of two different scales, and the shared dcast of %x serves both.
// CHECK-LABEL: func.func @residual_add
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
//       CHECK:   %[[ACC:.+]] = qnn.conv %[[X]]
//       CHECK:   %[[R:.+]] = qnn.requantize %[[ACC]] {{.*}} to tensor<1x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:5>>
//       CHECK:   %[[S:.+]] = qnn.add %[[X]], %[[R]] : (tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:5>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 7.500000e-01:-1>>
//       CHECK:   return %[[S]]
!qx = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!qc = !quant.uniform<i8:f32, 0.25:5>
!qo = !quant.uniform<i8:f32, 0.75:-1>
func.func @residual_add(%x: tensor<1x2x2x2x!qx>) -> tensor<1x2x2x2x!qo> {
  %xd = quant.dcast %x : tensor<1x2x2x2x!qx> to tensor<1x2x2x2xf32>
  %wi = arith.constant dense<[[[[1]], [[2]]], [[[-3]], [[4]]]]> : tensor<2x2x1x1xi8>
  %wq = quant.scast %wi : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!qw>
  %w = quant.dcast %wq : tensor<2x2x1x1x!qw> to tensor<2x2x1x1xf32>
  %c = qnn.conv %xd, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %cq = quant.qcast %c : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qc>
  %cd = quant.dcast %cq : tensor<1x2x2x2x!qc> to tensor<1x2x2x2xf32>
  %s = qnn.add %xd, %cd : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %sq = quant.qcast %s : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qo>
  return %sq : tensor<1x2x2x2x!qo>
}

// -----

/// An int32 qcast of the product at the accumulator's own type (ConvInteger,
/// MatMulInteger) is the accumulator: no requantize. Its dcast at the return
/// stays (the int8 API cannot carry int32), so the result stays float.
// CHECK-LABEL: func.func @int32_product(%{{.+}}: tensor<1x4x!quant.uniform<i8:f32, 1.000000e+00:-7>>) -> tensor<1x3xf32>
//       CHECK:   %[[ACC:.+]] = qnn.matmul %{{.+}}, %{{.+}} : {{.+}} -> tensor<1x3x!quant.uniform<i32:f32, 1.000000e+00>>
//   CHECK-NOT:   qnn.requantize
//       CHECK:   %[[Y:.+]] = quant.dcast %[[ACC]]
//       CHECK:   return %[[Y]] : tensor<1x3xf32>
!qa = !quant.uniform<i8:f32, 1.0:-7>
!qw = !quant.uniform<i8:f32, 1.0>
!qacc = !quant.uniform<i32:f32, 1.0>
func.func @int32_product(%in: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %aq = quant.qcast %in : tensor<1x4xf32> to tensor<1x4x!qa>
  %a = quant.dcast %aq : tensor<1x4x!qa> to tensor<1x4xf32>
  %wi = arith.constant dense<-2> : tensor<4x3xi8>
  %wq = quant.scast %wi : tensor<4x3xi8> to tensor<4x3x!qw>
  %w = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %m = qnn.matmul %a, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  %q = quant.qcast %m : tensor<1x3xf32> to tensor<1x3x!qacc>
  %d = quant.dcast %q : tensor<1x3x!qacc> to tensor<1x3xf32>
  return %d : tensor<1x3xf32>
}

// -----

/// An int32 qcast at another scale than the accumulator's is not folded
/// into the product.
// CHECK-LABEL: func.func @negative_int32_other_scale
//       CHECK:   qnn.matmul %{{.+}}, %{{.+}} : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
//       CHECK:   quant.qcast
!qa = !quant.uniform<i8:f32, 1.0:-7>
!qw = !quant.uniform<i8:f32, 1.0>
!qacc = !quant.uniform<i32:f32, 2.0>
func.func @negative_int32_other_scale(%a8: tensor<1x4x!qa>) -> tensor<1x3x!qacc> {
  %a = quant.dcast %a8 : tensor<1x4x!qa> to tensor<1x4xf32>
  %wi = arith.constant dense<-2> : tensor<4x3xi8>
  %wq = quant.scast %wi : tensor<4x3xi8> to tensor<4x3x!qw>
  %w = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %m = qnn.matmul %a, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  %q = quant.qcast %m : tensor<1x3xf32> to tensor<1x3x!qacc>
  return %q : tensor<1x3x!qacc>
}

// -----

/// Per-tensor quantization moves across reshapes (a 3-D pool is two 2-D
/// pools joined by them): reshape(dcast(x)) -> dcast(reshape(x)) and
/// qcast(reshape(y)) -> reshape(qcast(y)), so both pools fold.
// CHECK-LABEL: func.func @casts_across_reshapes
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:3>>)
//       CHECK:   %[[V:.+]] = qnn.reshape %[[X]] : (tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:3>>) -> tensor<1x4x2x4x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[P:.+]] = qnn.max_pool %[[V]] {{.+}} -> tensor<1x4x1x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[V2:.+]] = qnn.reshape %[[P]] {{.+}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[P2:.+]] = qnn.max_pool %[[V2]] {{.+}} -> tensor<1x2x1x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[R:.+]] = qnn.reshape %[[P2]] {{.+}} -> tensor<1x2x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   return %[[R]]
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @casts_across_reshapes(%x: tensor<1x2x4x4x!q>) -> tensor<1x2x2x!q> {
  %d = quant.dcast %x : tensor<1x2x4x4x!q> to tensor<1x2x4x4xf32>
  %v = qnn.reshape %d : (tensor<1x2x4x4xf32>) -> tensor<1x4x2x4xf32>
  %p = qnn.max_pool %v {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x2x4xf32>) -> tensor<1x4x1x2xf32>
  %pq = quant.qcast %p : tensor<1x4x1x2xf32> to tensor<1x4x1x2x!q>
  %pd = quant.dcast %pq : tensor<1x4x1x2x!q> to tensor<1x4x1x2xf32>
  %v2 = qnn.reshape %pd : (tensor<1x4x1x2xf32>) -> tensor<1x2x2x2xf32>
  %p2 = qnn.max_pool %v2 {kernel_shape = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 1>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x2xf32>
  %r = qnn.reshape %p2 : (tensor<1x2x1x2xf32>) -> tensor<1x2x2xf32>
  %q = quant.qcast %r : tensor<1x2x2xf32> to tensor<1x2x2x!q>
  return %q : tensor<1x2x2x!q>
}

// -----

/// A per-axis quantization that only a dequantization reads (a per-axis
/// QuantizeLinear -> DequantizeLinear at the model's boundary) keeps its
/// rounding: an identity qnn.transpose materializes the quantized tensor, so
/// no later dcast(qcast(x)) fold drops the pair; both casts stay and convert
/// at the boundary (the int8 API cannot carry per-axis tensors).
// CHECK-LABEL: func.func @per_axis_fake_quant
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x2xf32>) -> tensor<1x2xf32>
//       CHECK:   %[[Q:.+]] = quant.qcast %[[X]] : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32:1, {5.000000e-01:3,2.500000e-01:-1}>>
//       CHECK:   %[[T:.+]] = qnn.transpose %[[Q]] {perm = array<i64: 0, 1>}
//       CHECK:   %[[D:.+]] = quant.dcast %[[T]]
//       CHECK:   return %[[D]]
!qx = !quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>
func.func @per_axis_fake_quant(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!qx>
  %d = quant.dcast %q : tensor<1x2x!qx> to tensor<1x2xf32>
  return %d : tensor<1x2xf32>
}

// -----

/// MaxPool's Indices read the integers of a dequantized input: the order,
/// hence where the maxima are, is the same.
// CHECK-LABEL: func.func @max_pool_indices_on_integers
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x1x4x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>)
//       CHECK:   %[[I:.+]] = qnn.max_pool_indices %[[X]] {{.+}} : (tensor<1x1x4x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>)
//       CHECK:   quant.dcast %[[I]]
!q = !quant.uniform<i8:f32, 0.1:-3>
!idx = !quant.uniform<i32:f32, 1.0>
func.func @max_pool_indices_on_integers(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2xf32> {
  %d = quant.dcast %x : tensor<1x1x4x4x!q> to tensor<1x1x4x4xf32>
  %i = qnn.max_pool_indices %d {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2x!idx>
  %f = quant.dcast %i : tensor<1x1x2x2x!idx> to tensor<1x1x2x2xf32>
  return %f : tensor<1x1x2x2xf32>
}
