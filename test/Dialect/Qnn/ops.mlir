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

// -----

/// Batch norm, grouped (depthwise) convolution, average pooling (with and
/// without count_include_pad) and concat in float form.
// CHECK-LABEL: func.func @float_mobilenet_ops
//       CHECK:   qnn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
//       CHECK:   qnn.batch_norm %{{.*}} : (tensor<1x4x8x8xf32>
//       CHECK:   qnn.conv %{{.*}} {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
//       CHECK:   qnn.avg_pool %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
//       CHECK:   qnn.avg_pool %{{.*}} {kernel_shape = array<i64: 8, 8>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
//       CHECK:   qnn.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32>
func.func @float_mobilenet_ops(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>,
                               %w: tensor<4x1x3x3xf32>)
    -> (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<1x8x8x8xf32>) {
  %0 = qnn.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-03 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %1 = qnn.batch_norm %0, %p, %p, %p, %p : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %2 = qnn.conv %1, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
  %3 = qnn.avg_pool %2 {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %4 = qnn.avg_pool %2 {kernel_shape = array<i64: 8, 8>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  %5 = qnn.concat %2, %x {axis = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %3, %4, %5 : tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<1x8x8x8xf32>
}

// -----

/// Integer average pooling with one multiplier per window size (4, 6 and 9
/// for a 3x3 window with padding 1 that does not count the padding) and an
/// integer concat of operands that already have the result's type.
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
// CHECK-LABEL: func.func @integer_avg_pool_concat
//       CHECK:   qnn.avg_pool %{{.*}} {kernel_shape = array<i64: 3, 3>, multiplier = array<i32: 1073741824, 1431655765, 1908874354>, pads = array<i64: 1, 1, 1, 1>, rounding = #qnn.rounding<double>, shift = array<i32: 0, -1, -2>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:7>>
//       CHECK:   qnn.concat %{{.*}}, %{{.*}} {axis = 3 : i64} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:7>>, tensor<1x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:7>>) -> tensor<1x2x4x8x!quant.uniform<i8:f32, 2.500000e-01:7>>
func.func @integer_avg_pool_concat(%x: tensor<1x2x4x4x!qa>) -> tensor<1x2x4x8x!qb> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, rounding = #qnn.rounding<double>, multiplier = array<i32: 1073741824, 1431655765, 1908874354>, shift = array<i32: 0, -1, -2>} : (tensor<1x2x4x4x!qa>) -> tensor<1x2x4x4x!qb>
  %c = qnn.concat %p, %p {axis = 3 : i64} : (tensor<1x2x4x4x!qb>, tensor<1x2x4x4x!qb>) -> tensor<1x2x4x8x!qb>
  return %c : tensor<1x2x4x8x!qb>
}

// -----

/// Batched MatMul (numpy matmul): the leading dimensions broadcast, float
/// and integer form; a per-axis rhs and the accumulator are quantized along
/// their last axis (the output columns).
!qa = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:2, {0.25, 0.5}>
!qacc = !quant.uniform<i32:f32:3, {0.125, 0.25}>
// CHECK-LABEL: func.func @batched_matmul
//       CHECK:   qnn.matmul {{.*}} : (tensor<2x1x3x4xf32>, tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32>
//       CHECK:   qnn.matmul {{.*}} -> tensor<2x5x3x2x!quant.uniform<i32:f32:3, {1.250000e-01,2.500000e-01}>>
func.func @batched_matmul(%x: tensor<2x1x3x4xf32>, %w: tensor<5x4x2xf32>,
                          %a: tensor<2x1x3x4x!qa>, %qw: tensor<5x4x2x!qw>)
    -> (tensor<2x5x3x2xf32>, tensor<2x5x3x2x!qacc>) {
  %0 = qnn.matmul %x, %w : (tensor<2x1x3x4xf32>, tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32>
  %1 = qnn.matmul %a, %qw : (tensor<2x1x3x4x!qa>, tensor<5x4x2x!qw>) -> tensor<2x5x3x2x!qacc>
  return %0, %1 : tensor<2x5x3x2xf32>, tensor<2x5x3x2x!qacc>
}

// -----

/// Both operands activations (attention's Q x K^T): the integer rhs may
/// have a zero point; the accumulator scale is s_a * s_b.
!qa = !quant.uniform<i8:f32, 0.5:3>
// CHECK-LABEL: func.func @batched_matmul_activation_rhs
//       CHECK:   qnn.matmul {{.*}} -> tensor<2x3x3x!quant.uniform<i32:f32, 2.500000e-01>>
func.func @batched_matmul_activation_rhs(%a: tensor<2x3x4x!qa>, %b: tensor<2x4x3x!qa>) -> tensor<2x3x3x!quant.uniform<i32:f32, 2.500000e-01>> {
  %0 = qnn.matmul %a, %b : (tensor<2x3x4x!qa>, tensor<2x4x3x!qa>) -> tensor<2x3x3x!quant.uniform<i32:f32, 2.500000e-01>>
  return %0 : tensor<2x3x3x!quant.uniform<i32:f32, 2.500000e-01>>
}
