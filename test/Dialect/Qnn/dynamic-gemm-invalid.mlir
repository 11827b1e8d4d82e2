// RUN: quant-opt %s --split-input-file --verify-diagnostics

!w = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @weight_axis(%x: tensor<1x2xf32>, %w: tensor<2x2x!w>) -> tensor<1x2xf32> {
  // expected-error@+1 {{per-axis weight must be quantized along its output dimension}}
  %y = qnn.dynamic_gemm %x, %w : (tensor<1x2xf32>, tensor<2x2x!w>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!w = !quant.uniform<u8:f32, 0.5:3>
func.func @unsigned_weight(%x: tensor<1x2xf32>, %w: tensor<2x2x!w>) -> tensor<1x2xf32> {
  // expected-error@+1 {{expects a signed int8 quantized weight}}
  %y = qnn.dynamic_gemm %x, %w : (tensor<1x2xf32>, tensor<2x2x!w>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!w = !quant.uniform<i8:f32, 0.5>
func.func @bias_length(%x: tensor<1x2xf32>, %w: tensor<2x3x!w>, %b: tensor<2xf32>) -> tensor<1x3xf32> {
  // expected-error@+1 {{expects a 1-D bias of 3 elements, got [2]}}
  %y = qnn.dynamic_gemm %x, %w, %b : (tensor<1x2xf32>, tensor<2x3x!w>, tensor<2xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

func.func @float_weight(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>) -> tensor<1x3xf32> {
  // expected-error@+1 {{expects a signed int8 quantized weight}}
  %y = qnn.dynamic_gemm %x, %w : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

!w = !quant.uniform<i8:f32, 0.5>
func.func @result_shape(%x: tensor<1x2xf32>, %w: tensor<2x3x!w>) -> tensor<1x4xf32> {
  // expected-error@+1 {{result shape [1, 4] differs from the inferred shape [1, 3]}}
  %y = qnn.dynamic_gemm %x, %w : (tensor<1x2xf32>, tensor<2x3x!w>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
