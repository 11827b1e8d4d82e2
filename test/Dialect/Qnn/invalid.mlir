// RUN: quant-opt %s --split-input-file --verify-diagnostics

func.func @conv_wrong_result_shape(%x: tensor<1x1x28x28xf32>, %w: tensor<16x1x3x3xf32>) {
  // expected-error@+1 {{result shape [1, 16, 28, 28] differs from the inferred shape [1, 16, 26, 26]}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32>
  return
}

// -----

func.func @conv_channel_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error@+1 {{input channels 3 do not match filter [4, 1, 3, 3] with group 1}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_length(%x: tensor<1x1x8x8xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{bias must be 1-D with one value per output channel}}
  %0 = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8:f32, 0.25:1>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @conv_weight_zero_point(%x: tensor<1x1x4x4x!qx>, %w: tensor<1x1x3x3x!qw>) {
  // expected-error@+1 {{weight zero point must be 0}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x3x3x!qw>) -> tensor<1x1x2x2x!qacc>
  return
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @conv_int8_result(%x: tensor<1x1x4x4x!qx>, %w: tensor<1x1x3x3x!qw>) {
  // expected-error@+1 {{integer form expects an i32 accumulator result}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x3x3x!qw>) -> tensor<1x1x2x2x!qx>
  return
}

// -----

func.func @gemm_inner_mismatch(%a: tensor<1x8xf32>, %b: tensor<10x7xf32>) {
  // expected-error@+1 {{inner dimensions differ: [1, 8] and [10, 7]}}
  %0 = qnn.gemm %a, %b {transB = true} : (tensor<1x8xf32>, tensor<10x7xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @matmul_batch_no_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error@+1 {{batch dimensions of [2, 3, 4] and [3, 4, 5] do not broadcast}}
  %0 = qnn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @matmul_rank_1(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{expects operands of rank >= 2, got [4] and [4, 5]}}
  %0 = qnn.matmul %a, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @matmul_batched_wrong_result(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{result shape [3, 5] differs from the inferred shape [2, 3, 5]}}
  %0 = qnn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.5, 0.5, 0.5}>
!qacc = !quant.uniform<i32:f32:2, {0.125, 0.25}>
func.func @matmul_batched_rhs_wrong_axis(%a: tensor<2x3x4x!qa>, %w: tensor<2x4x2x!qw>) {
  // expected-error@+1 {{per-axis rhs must be quantized along its last axis (2)}}
  %0 = qnn.matmul %a, %w : (tensor<2x3x4x!qa>, tensor<2x4x2x!qw>) -> tensor<2x3x2x!qacc>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:2, {0.25, 0.5}>
!qacc = !quant.uniform<i32:f32:1, {0.125, 0.25, 0.25}>
func.func @matmul_batched_acc_wrong_axis(%a: tensor<2x3x4x!qa>, %w: tensor<2x4x2x!qw>) {
  // expected-error@+1 {{per-axis weight needs a result quantized per axis 2 with one scale per output channel}}
  %0 = qnn.matmul %a, %w : (tensor<2x3x4x!qa>, tensor<2x4x2x!qw>) -> tensor<2x3x2x!qacc>
  return
}

// -----

func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{shapes [2, 3] and [4] do not broadcast}}
  %0 = qnn.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @max_pool_dilated_wrong_result(%x: tensor<1x1x5x5xf32>) {
  // expected-error@+1 {{result shape [1, 1, 4, 4] differs from the inferred shape [1, 1, 3, 3]}}
  %0 = qnn.max_pool %x {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @max_pool_bad_dilations(%x: tensor<1x1x5x5xf32>) {
  // expected-error@+1 {{expects 2 positive dilations}}
  %0 = qnn.max_pool %x {dilations = array<i64: 0, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @max_pool_pad_too_big(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{pads must be smaller than the kernel}}
  %0 = qnn.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x5x3xf32>
  return
}

// -----

func.func @flatten_wrong_shape(%x: tensor<1x2x3x4xf32>) {
  // expected-error@+1 {{result shape [2, 12] differs from the inferred shape [1, 24]}}
  %0 = qnn.flatten %x {axis = 1 : i64} : (tensor<1x2x3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{element count changes from 6 to 8}}
  %0 = qnn.reshape %x : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @requantize_shape_mismatch(%x: tensor<4x!qa>) {
  // expected-error@+1 {{operand and result shapes differ}}
  %y = qnn.requantize %x : tensor<4x!qa> to tensor<8x!qb>
  return
}

// -----

func.func @requantize_float(%x: tensor<4xf32>) {
  // expected-error@+1 {{expects a quantized operand and a per-tensor quantized result}}
  %y = qnn.requantize %x : tensor<4xf32> to tensor<4xf32>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @requantize_empty_clamp(%x: tensor<4x!qa>) {
  // expected-error@+1 {{empty clamp range}}
  %y = qnn.requantize %x {clamp_min = 10 : i64, clamp_max = 5 : i64} : tensor<4x!qa> to tensor<4x!qb>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @requantize_multiplier_count(%x: tensor<4x!qa>) {
  // expected-error@+1 {{expects 1 multiplier/shift entries, got 2}}
  %y = qnn.requantize %x {multiplier = array<i32: 1, 2>, shift = array<i32: 0, 0>} : tensor<4x!qa> to tensor<4x!qb>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @requantize_multiplier_without_shift(%x: tensor<4x!qa>) {
  // expected-error@+1 {{multiplier and shift must be set together}}
  %y = qnn.requantize %x {multiplier = array<i32: 1>} : tensor<4x!qa> to tensor<4x!qb>
  return
}

// -----

func.func @batch_norm_param_length(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %q: tensor<3xf32>) {
  // expected-error@+1 {{expects 1-D scale, bias, mean and variance with 4 values, got 'tensor<3xf32>'}}
  %0 = qnn.batch_norm %x, %p, %p, %q, %p : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{expects an input of rank >= 2 (N, C, ...), got 'tensor<4xf32>'}}
  %0 = qnn.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<1x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{epsilon must be non-negative}}
  %0 = qnn.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f32} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @batch_norm_quantized(%x: tensor<1x4x!q>, %p: tensor<4xf32>) {
  // expected-error@+1 {{expects f32 operands (a float-only op)}}
  %0 = qnn.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x!q>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x!q>
  return
}

// -----

func.func @avg_pool_wrong_shape(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{result shape [1, 1, 2, 2] differs from the inferred shape [1, 1, 3, 3]}}
  %0 = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @avg_pool_mixed_types(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{expects an f32 input and result, or quantized ones}}
  %0 = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2x!q>
  return
}

// -----

func.func @avg_pool_float_multiplier(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{float form has no multiplier}}
  %0 = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, multiplier = array<i32: 1073741824>, shift = array<i32: 0>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

/// A 2x2 window with padding 1 at the top left and count_include_pad unset
/// has window sizes 1, 2 and 4: three entries are needed.
!q = !quant.uniform<i8:f32, 0.5>
func.func @avg_pool_multiplier_count(%x: tensor<1x1x4x4x!q>) {
  // expected-error@+1 {{expects 3 multiplier/shift entries (one per window size), got 1}}
  %0 = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>, multiplier = array<i32: 1073741824>, shift = array<i32: 0>} : (tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!q>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!qacc = !quant.uniform<i32:f32, 0.5>
func.func @avg_pool_int32(%x: tensor<1x1x4x4x!qacc>) {
  // expected-error@+1 {{integer form expects per-tensor int8 input and result types}}
  %0 = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!qacc>) -> tensor<1x1x2x2x!q>
  return
}

// -----

func.func @concat_shape_mismatch(%a: tensor<1x2x3xf32>, %b: tensor<1x3x4xf32>) {
  // expected-error@+1 {{input shapes [1, 2, 3] and [1, 3, 4] differ outside axis 1}}
  %0 = qnn.concat %a, %b {axis = 1 : i64} : (tensor<1x2x3xf32>, tensor<1x3x4xf32>) -> tensor<1x5x3xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x2xf32>) {
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %0 = qnn.concat %a, %a {axis = 2 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<1x2xf32>) {
  // expected-error@+1 {{result shape [1, 3] differs from the inferred shape [1, 4]}}
  %0 = qnn.concat %a, %a {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x3xf32>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @concat_scales_differ(%a: tensor<2x!qa>, %b: tensor<2x!qb>) {
  // expected-error@+1 {{input element type '!quant.uniform<i8:f32, 5.000000e-01>' differs from the result's '!quant.uniform<i8:f32, 2.500000e-01>' (requantize the inputs first)}}
  %0 = qnn.concat %a, %b {axis = 0 : i64} : (tensor<2x!qa>, tensor<2x!qb>) -> tensor<4x!qb>
  return
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @gemm_integer_column_bias(%a: tensor<2x4x!qa>, %w: tensor<4x3x!qw>, %c: tensor<2x1xi32>) {
  // expected-error@+1 {{integer form expects a C of shape [N] or [M, N]}}
  %0 = qnn.gemm %a, %w, %c : (tensor<2x4x!qa>, tensor<4x3x!qw>, tensor<2x1xi32>) -> tensor<2x3x!qacc>
  return
}
