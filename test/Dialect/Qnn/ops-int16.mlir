// The 16x8 integer forms accepted by the verifiers (int16 input with zero
// point 0 into conv / gemm / matmul with int8 weights and an i32
// accumulator; max pool, flatten, relu and requantize on int16), and the
// forms rejected.
// RUN: quant-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @int16_forms
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!acc = !quant.uniform<i32:f32, 1.52587890625E-5>
!qo = !quant.uniform<i8:f32, 0.125:-3>
func.func @int16_forms(%x: tensor<1x2x4x4x!q16>, %w: tensor<3x2x1x1x!qw>, %a: tensor<1x8x!q16>, %b: tensor<8x3x!qw>) -> (tensor<1x3x4x4x!acc>, tensor<1x2x2x2x!q16>, tensor<1x32x!q16>, tensor<1x3x!qo>, tensor<1x3x!acc>) {
  // CHECK: qnn.conv
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!q16>, tensor<3x2x1x1x!qw>) -> tensor<1x3x4x4x!acc>
  // CHECK: qnn.max_pool
  %p = qnn.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!q16>) -> tensor<1x2x2x2x!q16>
  // CHECK: qnn.relu
  %r = qnn.relu %x : tensor<1x2x4x4x!q16>
  // CHECK: qnn.flatten
  %f = qnn.flatten %r {axis = 1 : i64} : (tensor<1x2x4x4x!q16>) -> tensor<1x32x!q16>
  // CHECK: qnn.matmul
  %m = qnn.matmul %a, %b : (tensor<1x8x!q16>, tensor<8x3x!qw>) -> tensor<1x3x!acc>
  // CHECK: qnn.requantize
  %q = qnn.requantize %m : tensor<1x3x!acc> to tensor<1x3x!qo>
  return %c, %p, %f, %q, %m : tensor<1x3x4x4x!acc>, tensor<1x2x2x2x!q16>, tensor<1x32x!q16>, tensor<1x3x!qo>, tensor<1x3x!acc>
}

// -----

!q16 = !quant.uniform<i16:f32, 0.0009765625:5>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!acc = !quant.uniform<i32:f32, 1.52587890625E-5>
func.func @negative_int16_zero_point(%x: tensor<1x2x4x4x!q16>, %w: tensor<3x2x1x1x!qw>) -> tensor<1x3x4x4x!acc> {
  // expected-error@+1 {{16-bit input must have zero point 0}}
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!q16>, tensor<3x2x1x1x!qw>) -> tensor<1x3x4x4x!acc>
  return %c : tensor<1x3x4x4x!acc>
}

// -----

!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!acc = !quant.uniform<i32:f32, 1.52587890625E-5>
func.func @negative_int16_weight(%x: tensor<1x2x4x4x!q16>, %w: tensor<3x2x1x1x!q16>) -> tensor<1x3x4x4x!acc> {
  // expected-error@+1 {{integer form expects an 8- or 16-bit input and an 8-bit weight}}
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!q16>, tensor<3x2x1x1x!q16>) -> tensor<1x3x4x4x!acc>
  return %c : tensor<1x3x4x4x!acc>
}

// -----

!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!q8 = !quant.uniform<i8:f32, 0.5>
func.func @negative_int16_avg_pool(%x: tensor<1x1x2x2x!q16>) -> tensor<1x1x1x1x!q8> {
  // expected-error@+1 {{integer form expects per-tensor int8 input and result types}}
  %a = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2x!q16>) -> tensor<1x1x1x1x!q8>
  return %a : tensor<1x1x1x1x!q8>
}
