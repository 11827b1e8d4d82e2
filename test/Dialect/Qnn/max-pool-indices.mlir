// RUN: quant-opt %s --split-input-file --verify-diagnostics | FileCheck %s

/// MaxPool's Indices: the int32 flat index of each window's maximum.
!q = !quant.uniform<i8:f32, 0.1>
!idx = !quant.uniform<i32:f32, 1.0>
// CHECK-LABEL: func.func @indices
//       CHECK:   qnn.max_pool_indices %{{.+}} {column_major = true, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
func.func @indices(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!idx> {
  %i = qnn.max_pool_indices %x {column_major = true, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!idx>
  return %i : tensor<1x1x2x2x!idx>
}

// -----

!q = !quant.uniform<i8:f32, 0.1>
!idx = !quant.uniform<i32:f32, 2.0>
func.func @negative_scaled_indices(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!idx> {
  // expected-error@+1 {{expects the indices as !quant.uniform<i32:f32, 1.0> (scale 1, zero point 0)}}
  %i = qnn.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!idx>
  return %i : tensor<1x1x2x2x!idx>
}

// -----

!q = !quant.uniform<i8:f32, 0.1>
!idx = !quant.uniform<i32:f32, 1.0>
func.func @negative_shape(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x3x3x!idx> {
  // expected-error@+1 {{'qnn.max_pool_indices' op}}
  %i = qnn.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!q>) -> tensor<1x1x3x3x!idx>
  return %i : tensor<1x1x3x3x!idx>
}
