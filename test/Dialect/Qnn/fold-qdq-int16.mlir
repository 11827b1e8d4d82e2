// 16x8 activations in qnn-fold-qdq: int16 (zero point 0) inputs and outputs
// of products and of the scale-preserving ops; an int8 requantize where a
// consumer (or the function result) has no 16-bit form; the int32
// accumulator bound on the constant weights. Scales are dyadic, so the
// accumulator scales are exact products: 2^-10 * 2^-6 = 2^-16.
// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-fold-qdq))" | FileCheck %s

/// Conv + Relu with an int16 input and an int16 output: the integer conv
/// reads the int16 input (i32 accumulator, scale 2^-10 * 2^-6), requantize
/// to int16, relu; the int16 result reaches the function result through a
/// requantize to int8 with the same range: scale 2^-8 * 32767 / 127.
// CHECK-LABEL: func.func @conv_int16
//  CHECK-SAME:     %[[X:.+]]: tensor<1x1x4x4x!quant.uniform<i16<-32767:32767>:f32, 9.765625E-4>>
//  CHECK-SAME:     -> tensor<1x2x4x4x!quant.uniform<i8:f32, 64.50196850393{{[0-9]*}}>>
//       CHECK:   %[[C:.+]] = qnn.conv %[[X]], %{{.+}}, %{{.+}} {{.*}} -> tensor<1x2x4x4x!quant.uniform<i32:f32, 1.52587890625E-5>>
//       CHECK:   %[[R:.+]] = qnn.requantize %[[C]] : {{.*}} to tensor<1x2x4x4x!quant.uniform<i16<-32767:32767>:f32, 2.500000e-01>>
//       CHECK:   %[[A:.+]] = qnn.relu %[[R]]
//       CHECK:   %[[N:.+]] = qnn.requantize %[[A]] : tensor<1x2x4x4x!quant.uniform<i16<-32767:32767>:f32, 2.500000e-01>> to tensor<1x2x4x4x!quant.uniform<i8:f32, 64.50196850393{{[0-9]*}}>>
//       CHECK:   return %[[N]]
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.25>
func.func @conv_int16(%x: tensor<1x1x4x4x!q16>) -> tensor<1x2x4x4xf32> {
  %xd = quant.dcast %x : tensor<1x1x4x4x!q16> to tensor<1x1x4x4xf32>
  %wi = arith.constant dense<3> : tensor<2x1x3x3xi8>
  %ws = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %wd = quant.dcast %ws : tensor<2x1x3x3x!qw> to tensor<2x1x3x3xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %c = qnn.conv %xd, %wd, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = qnn.relu %c : tensor<1x2x4x4xf32>
  %q = quant.qcast %r : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!qo>
  %d = quant.dcast %q : tensor<1x2x4x4x!qo> to tensor<1x2x4x4xf32>
  return %d : tensor<1x2x4x4xf32>
}

// -----

/// Max pool and flatten keep the int16 type; the gemm reads it and writes
/// an int8 output (its layer was not chosen).
// CHECK-LABEL: func.func @pool_flatten_gemm_int16
//       CHECK:   %[[P:.+]] = qnn.max_pool %{{.+}} {{.*}} -> tensor<1x2x1x1x!quant.uniform<i16<-32767:32767>:f32, 9.765625E-4>>
//       CHECK:   %[[F:.+]] = qnn.flatten %[[P]] {{.*}} -> tensor<1x2x!quant.uniform<i16<-32767:32767>:f32, 9.765625E-4>>
//       CHECK:   %[[G:.+]] = qnn.gemm %[[F]], {{.*}} -> tensor<1x3x!quant.uniform<i32:f32, 1.52587890625E-5>>
//       CHECK:   %[[R:.+]] = qnn.requantize %[[G]] : {{.*}} to tensor<1x3x!quant.uniform<i8:f32, 1.250000e-01:-3>>
//       CHECK:   return %[[R]]
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!qo = !quant.uniform<i8:f32, 0.125:-3>
func.func @pool_flatten_gemm_int16(%x: tensor<1x2x2x2x!q16>) -> tensor<1x3xf32> {
  %xd = quant.dcast %x : tensor<1x2x2x2x!q16> to tensor<1x2x2x2xf32>
  %p = qnn.max_pool %xd {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32>
  %pq = quant.qcast %p : tensor<1x2x1x1xf32> to tensor<1x2x1x1x!q16>
  %pd = quant.dcast %pq : tensor<1x2x1x1x!q16> to tensor<1x2x1x1xf32>
  %f = qnn.flatten %pd {axis = 1 : i64} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
  %fq = quant.qcast %f : tensor<1x2xf32> to tensor<1x2x!q16>
  %fd = quant.dcast %fq : tensor<1x2x!q16> to tensor<1x2xf32>
  %wi = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %ws = quant.scast %wi : tensor<3x2xi8> to tensor<3x2x!qw>
  %wd = quant.dcast %ws : tensor<3x2x!qw> to tensor<3x2xf32>
  %g = qnn.gemm %fd, %wd {transB = true} : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  %gq = quant.qcast %g : tensor<1x3xf32> to tensor<1x3x!qo>
  %gd = quant.dcast %gq : tensor<1x3x!qo> to tensor<1x3xf32>
  return %gd : tensor<1x3xf32>
}

// -----

/// Add and avg_pool have no 16-bit form: they read the int16 value through
/// a requantize to int8 (scale 2^-10 * 32767 / 127, zero point 0); the
/// max pool next to them reads the int16 value itself, and its int16
/// result is requantized to int8 for the function result.
// CHECK-LABEL: func.func @narrow_for_add_and_avg_pool
//  CHECK-SAME:     %[[X:.+]]: tensor<1x1x2x2x!quant.uniform<i16
//   CHECK-DAG:   %[[N:.+]] = qnn.requantize %[[X]] : tensor<1x1x2x2x!quant.uniform<i16<-32767:32767>:f32, 9.765625E-4>> to tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25196081446{{[0-9]*}}>>
//   CHECK-DAG:   qnn.add %[[N]], %[[N]]
//   CHECK-DAG:   qnn.avg_pool %[[N]]
//   CHECK-DAG:   %[[M:.+]] = qnn.max_pool %[[X]] {{.*}} -> tensor<1x1x1x1x!quant.uniform<i16
//   CHECK-DAG:   %[[MN:.+]] = qnn.requantize %[[M]] {{.*}} to tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25196081446{{[0-9]*}}>>
//       CHECK:   return %{{.+}}, %{{.+}}, %[[MN]]
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!q8 = !quant.uniform<i8:f32, 0.5>
func.func @narrow_for_add_and_avg_pool(%x: tensor<1x1x2x2x!q16>) -> (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) {
  %xd = quant.dcast %x : tensor<1x1x2x2x!q16> to tensor<1x1x2x2xf32>
  %s = qnn.add %xd, %xd : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %sq = quant.qcast %s : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q8>
  %sd = quant.dcast %sq : tensor<1x1x2x2x!q8> to tensor<1x1x2x2xf32>
  %a = qnn.avg_pool %xd {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  %aq = quant.qcast %a : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!q8>
  %ad = quant.dcast %aq : tensor<1x1x1x1x!q8> to tensor<1x1x1x1xf32>
  %m = qnn.max_pool %xd {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  %mq = quant.qcast %m : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!q16>
  %md = quant.dcast %mq : tensor<1x1x1x1x!q16> to tensor<1x1x1x1xf32>
  return %sd, %ad, %md : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>
}

// -----

/// An int8 value into an int16 qcast (a chosen max pool after an int8
/// layer): the max pool runs on int8, then one requantize int8 -> int16.
// CHECK-LABEL: func.func @int8_to_int16
//       CHECK:   %[[P:.+]] = qnn.max_pool %{{.+}} {{.*}} -> tensor<1x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>
//       CHECK:   qnn.requantize %[[P]] : tensor<1x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<1x1x1x1x!quant.uniform<i16<-32767:32767>:f32, 9.765625E-4>>
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!q8 = !quant.uniform<i8:f32, 0.5>
func.func @int8_to_int16(%x: tensor<1x1x2x2x!q8>) -> tensor<1x1x1x1x!q16> {
  %xd = quant.dcast %x : tensor<1x1x2x2x!q8> to tensor<1x1x2x2xf32>
  %m = qnn.max_pool %xd {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  %mq = quant.qcast %m : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!q16>
  return %mq : tensor<1x1x1x1x!q16>
}

// -----

/// The accumulator bound: 32767 * 600 * 127 > 2^31 - 1 for a 600-deep dot
/// product of int16 values and weights of 127.
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.25>
func.func @negative_accumulator_overflow(%x: tensor<1x600x!q16>) -> tensor<1x1x!qo> {
  %xd = quant.dcast %x : tensor<1x600x!q16> to tensor<1x600xf32>
  %wi = arith.constant dense<127> : tensor<1x600xi8>
  %ws = quant.scast %wi : tensor<1x600xi8> to tensor<1x600x!qw>
  %wd = quant.dcast %ws : tensor<1x600x!qw> to tensor<1x600xf32>
  // expected-error @+1 {{'qnn.gemm' op with an int16 input: the int32 accumulator of output channel 0 could overflow (32767 * sum|w| + |bias| = 2496845401 > 2^31 - 1); keep this layer's input int8}}
  %g = qnn.gemm %xd, %wd {transB = true} : (tensor<1x600xf32>, tensor<1x600xf32>) -> tensor<1x1xf32>
  %gq = quant.qcast %g : tensor<1x1xf32> to tensor<1x1x!qo>
  return %gq : tensor<1x1x!qo>
}

// -----

/// 516 deep is the largest depth of weights 127 that fits:
/// 32767 * 516 * 127 + 1 = 2147287045 <= 2^31 - 1 (517: 2151448454).
// CHECK-LABEL: func.func @accumulator_bound_fits
//       CHECK:   qnn.gemm {{.*}} -> tensor<1x1x!quant.uniform<i32
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.25>
func.func @accumulator_bound_fits(%x: tensor<1x516x!q16>) -> tensor<1x1x!qo> {
  %xd = quant.dcast %x : tensor<1x516x!q16> to tensor<1x516xf32>
  %wi = arith.constant dense<127> : tensor<1x516xi8>
  %ws = quant.scast %wi : tensor<1x516xi8> to tensor<1x516x!qw>
  %wd = quant.dcast %ws : tensor<1x516x!qw> to tensor<1x516xf32>
  %g = qnn.gemm %xd, %wd {transB = true} : (tensor<1x516xf32>, tensor<1x516xf32>) -> tensor<1x1xf32>
  %gq = quant.qcast %g : tensor<1x1xf32> to tensor<1x1x!qo>
  return %gq : tensor<1x1x!qo>
}
