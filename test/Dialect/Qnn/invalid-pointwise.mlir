// RUN: quant-opt %s --split-input-file --verify-diagnostics

func.func @unary_unknown_function(%x: tensor<4xf32>) {
  // expected-error@+1 {{unknown function 'gelu' (leaky_relu, sigmoid, hard_sigmoid, hard_swish, tanh)}}
  %0 = qnn.unary %x {function = "gelu"} : tensor<4xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @unary_on_quantized(%x: tensor<4x!q>) {
  // expected-error@+1 {{expects f32 tensors (the integer form is qnn.lut)}}
  %0 = qnn.unary %x {function = "sigmoid"} : tensor<4x!q>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @lut_short_table(%x: tensor<4x!q>) {
  // expected-error@+1 {{expects a table of 256 entries, got 3}}
  %0 = qnn.lut %x {table = array<i8: 1, 2, 3>} : (tensor<4x!q>) -> tensor<4x!q>
  return
}

// -----

func.func @lut_float(%x: tensor<4xf32>) {
  // expected-error@+1 {{expects per-tensor int8 quantized input and result}}
  %0 = qnn.lut %x {table = array<i8: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @lut_shape_mismatch(%x: tensor<4x!q>) {
  // expected-error@+1 {{operand and result shapes differ}}
  %0 = qnn.lut %x {table = array<i8: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : (tensor<4x!q>) -> tensor<2x2x!q>
  return
}

// -----

func.func @mul_bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{shapes [2, 3] and [4] do not broadcast}}
  %0 = qnn.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @mul_int8_result(%a: tensor<4x!q>, %b: tensor<4x!q>) {
  // expected-error@+1 {{expects all f32, or per-tensor int8 operands and a per-tensor i32 quantized result}}
  %0 = qnn.mul %a, %b : (tensor<4x!q>, tensor<4x!q>) -> tensor<4x!q>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.5>
func.func @mul_wrong_product_scale(%a: tensor<4x!q>, %b: tensor<4x!q>) {
  // expected-error@+1 {{result scale 5.000000e-01 and zero point 0 differ from the product scale 2.500000e-01 and zero point 0}}
  %0 = qnn.mul %a, %b : (tensor<4x!q>, tensor<4x!q>) -> tensor<4x!acc>
  return
}

// -----

func.func @transpose_perm_length(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{perm has 3 entries, expected 2}}
  %0 = qnn.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_not_a_permutation(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{perm [1, 1] is not a permutation of [0, 2)}}
  %0 = qnn.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @transpose_wrong_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{result shape [2, 3] differs from the permuted shape [3, 2]}}
  %0 = qnn.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!r = !quant.uniform<i8:f32, 0.25>
func.func @transpose_changes_type(%x: tensor<2x3x!q>) {
  // expected-error@+1 {{input and result element types differ}}
  %0 = qnn.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x!q>) -> tensor<3x2x!r>
  return
}

// -----

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %0 = qnn.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @softmax_shape_mismatch(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{operand and result shapes differ}}
  %0 = qnn.softmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @softmax_mixed_types(%x: tensor<2x3x!q>) {
  // expected-error@+1 {{expects f32 or per-tensor int8 quantized types}}
  %0 = qnn.softmax %x {axis = 1 : i64} : (tensor<2x3x!q>) -> tensor<2x3xf32>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!r = !quant.uniform<i8:f32, 0.01:-128>
func.func @softmax_wrong_output_params(%x: tensor<2x3x!q>) {
  // expected-error@+1 {{integer result must have scale 1/256 and zero point -128, got 1.000000e-02 and -128}}
  %0 = qnn.softmax %x {axis = 1 : i64} : (tensor<2x3x!q>) -> tensor<2x3x!r>
  return
}
