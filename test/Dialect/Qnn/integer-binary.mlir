// RUN: quant-opt %s --split-input-file --verify-diagnostics | FileCheck %s

/// ONNX Add / Mul on raw UINT8 (or INT8) integers, wrapping.
!u8 = !quant.uniform<i8:f32, 1.0:-128>
// CHECK-LABEL: func.func @add_uint8
//       CHECK:   qnn.integer_binary %{{.+}}, %{{.+}} {kind = "add"}
func.func @add_uint8(%a: tensor<3x4x!u8>, %b: tensor<4x!u8>) -> tensor<3x4x!u8> {
  %s = qnn.integer_binary %a, %b {kind = "add"} : (tensor<3x4x!u8>, tensor<4x!u8>) -> tensor<3x4x!u8>
  return %s : tensor<3x4x!u8>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-128>
func.func @negative_scaled(%a: tensor<4x!q>) -> tensor<4x!q> {
  // expected-error@+1 {{expects raw 8-bit integers}}
  %s = qnn.integer_binary %a, %a {kind = "add"} : (tensor<4x!q>, tensor<4x!q>) -> tensor<4x!q>
  return %s : tensor<4x!q>
}

// -----

!u8 = !quant.uniform<i8:f32, 1.0:-128>
func.func @negative_kind(%a: tensor<4x!u8>) -> tensor<4x!u8> {
  // expected-error@+1 {{kind 'sub' is not add or mul}}
  %s = qnn.integer_binary %a, %a {kind = "sub"} : (tensor<4x!u8>, tensor<4x!u8>) -> tensor<4x!u8>
  return %s : tensor<4x!u8>
}

// -----

!u8 = !quant.uniform<i8:f32, 1.0:-128>
!i8 = !quant.uniform<i8:f32, 1.0>
func.func @negative_mixed_types(%a: tensor<4x!u8>, %b: tensor<4x!i8>) -> tensor<4x!u8> {
  // expected-error@+1 {{expects operands of the result's element type}}
  %s = qnn.integer_binary %a, %b {kind = "mul"} : (tensor<4x!u8>, tensor<4x!i8>) -> tensor<4x!u8>
  return %s : tensor<4x!u8>
}
