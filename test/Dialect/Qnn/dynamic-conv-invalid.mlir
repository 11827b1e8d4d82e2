// RUN: quant-opt %s --split-input-file --verify-diagnostics

func.func @float_filter(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error@+1 {{expects a signed int8 quantized filter}}
  %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

!w = !quant.uniform<i8:f32:1, {0.5}>
func.func @filter_axis(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3x!w>) -> tensor<1x1x1x1xf32> {
  // expected-error@+1 {{per-axis filter must be quantized along axis 0}}
  %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3x!w>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

!w = !quant.uniform<i8:f32, 0.5>
func.func @result_shape(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3x!w>) -> tensor<1x1x2x2xf32> {
  // expected-error@+1 {{result shape [1, 1, 2, 2] differs from the inferred shape [1, 1, 1, 1]}}
  %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3x!w>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}
