// RUN: quant-opt %s --split-input-file --verify-diagnostics | FileCheck %s

/// ONNX DynamicQuantizeLinear on its own: raw uint8 data and zero point
/// (int8 storage, scale 1, zero point -128) and a float scale.
!raw = !quant.uniform<i8:f32, 1.0:-128>
// CHECK-LABEL: func.func @dynamic_quantize
//       CHECK:   qnn.dynamic_quantize %{{.+}} : tensor<2x3xf32> -> (tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:-128>>, tensor<f32>, tensor<!quant.uniform<i8:f32, 1.000000e+00:-128>>)
func.func @dynamic_quantize(%x: tensor<2x3xf32>) -> (tensor<2x3x!raw>, tensor<f32>, tensor<!raw>) {
  %y, %s, %z = qnn.dynamic_quantize %x : tensor<2x3xf32> -> (tensor<2x3x!raw>, tensor<f32>, tensor<!raw>)
  return %y, %s, %z : tensor<2x3x!raw>, tensor<f32>, tensor<!raw>
}

// -----

!raw = !quant.uniform<i8:f32, 1.0:-128>
!scaled = !quant.uniform<i8:f32, 0.5:-128>
func.func @negative_scaled_data(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+1 {{expects uint8 results as !quant.uniform<i8:f32, 1.0:-128>}}
  %y, %s, %z = qnn.dynamic_quantize %x : tensor<2x3xf32> -> (tensor<2x3x!scaled>, tensor<f32>, tensor<!raw>)
  return %s : tensor<f32>
}

// -----

!raw = !quant.uniform<i8:f32, 1.0:-128>
func.func @negative_shape(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+1 {{expects the data to have the input's shape}}
  %y, %s, %z = qnn.dynamic_quantize %x : tensor<2x3xf32> -> (tensor<3x2x!raw>, tensor<f32>, tensor<!raw>)
  return %s : tensor<f32>
}

// -----

!raw = !quant.uniform<i8:f32, 1.0:-128>
func.func @negative_zero_point_shape(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+1 {{expects a scalar zero point}}
  %y, %s, %z = qnn.dynamic_quantize %x : tensor<2x3xf32> -> (tensor<2x3x!raw>, tensor<f32>, tensor<1x!raw>)
  return %s : tensor<f32>
}
