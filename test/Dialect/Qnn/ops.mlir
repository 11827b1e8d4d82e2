// RUN: quant-opt %s --split-input-file | quant-opt --split-input-file | FileCheck %s
// RUN: quant-opt %s --split-input-file --mlir-print-op-generic | quant-opt --split-input-file | FileCheck %s

/// The float form of every graph op round-trips.
// CHECK-LABEL: func.func @float_graph
//       CHECK:   qnn.conv %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
//       CHECK:   qnn.relu
//       CHECK:   qnn.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
//       CHECK:   qnn.max_pool
//       CHECK:   qnn.flatten
//       CHECK:   qnn.reshape
//       CHECK:   qnn.gemm %{{.*}} {transB = true}
//       CHECK:   qnn.matmul
//       CHECK:   qnn.add
func.func @float_graph(%x: tensor<1x1x28x28xf32>, %w: tensor<16x1x3x3xf32>,
                       %b: tensor<16xf32>, %g: tensor<10x3136xf32>,
                       %gb: tensor<10xf32>, %m: tensor<10x10xf32>)
    -> tensor<1x10xf32> {
  %0 = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x28x28xf32>
  %1 = qnn.relu %0 : tensor<1x16x28x28xf32>
  %2 = qnn.clip %1 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x16x28x28xf32>
  %3 = qnn.max_pool %2 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x28x28xf32>) -> tensor<1x16x14x14xf32>
  %4 = qnn.flatten %3 {axis = 1 : i64} : (tensor<1x16x14x14xf32>) -> tensor<1x3136xf32>
  %5 = qnn.reshape %4 : (tensor<1x3136xf32>) -> tensor<1x3136xf32>
  %6 = qnn.gemm %5, %g, %gb {transB = true} : (tensor<1x3136xf32>, tensor<10x3136xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %7 = qnn.matmul %6, %m : (tensor<1x10xf32>, tensor<10x10xf32>) -> tensor<1x10xf32>
  %8 = qnn.add %7, %gb : (tensor<1x10xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %8 : tensor<1x10xf32>
}

// -----

/// The integer form: per-axis weights, an i32 accumulator, requantize with
/// its rounding and fixed-point parameters, and the fused op.
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-128>
// CHECK-LABEL: func.func @integer_graph
//       CHECK:   qnn.conv {{.*}} -> tensor<1x2x4x4x!quant.uniform<i32:f32:1
//       CHECK:   qnn.requantize %{{.*}} {clamp_min = -128 : i64, multiplier = array<i32: 1535222353, 1535222353>, rounding = #qnn.rounding<double>, shift = array<i32: -10, -9>}
//       CHECK:   qnn.conv_relu_pool
func.func @integer_graph(%x: tensor<1x1x4x4x!qx>, %w: tensor<2x1x3x3x!qw>,
                         %b: tensor<2xi32>) -> (tensor<1x2x4x4x!qo>, tensor<1x2x2x2x!qo>) {
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x4x4x!qacc>
  %y = qnn.requantize %acc {rounding = #qnn.rounding<double>, clamp_min = -128 : i64, multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  %p = qnn.conv_relu_pool %x, %w, %b {conv_strides = array<i64: 1, 1>, conv_pads = array<i64: 1, 1, 1, 1>, conv_dilations = array<i64: 1, 1>, pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_pads = array<i64: 0, 0, 0, 0>, rounding = #qnn.rounding<single>, multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>, clamp_min = -128 : i64, clamp_max = 127 : i64} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x2x2x!qo>
  return %y, %p : tensor<1x2x4x4x!qo>, tensor<1x2x2x2x!qo>
}
