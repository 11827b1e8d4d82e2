// RUN: quant-opt %s --split-input-file --verify-diagnostics \
// RUN:   --qnn-lower-to-linalg-int8=allow-float

/// (Without allow-float every float op is an error naming it:
/// lower-to-linalg-int8.mlir.)

/// Quantization to more than 16 bits (an int32 qcast) is not lowered: the
/// float clamp to the int32 range is not exact.
!qa = !quant.uniform<i32:f32, 0.5>
func.func @negative_int32_qcast(%x: tensor<2x2xf32>) -> tensor<2x2x!qa> {
  // expected-error@+2 {{failed to legalize operation 'quant.qcast'}}
  // expected-error@+1 {{only quantization of f32 to up to 16 bits is supported between float and integer layers}}
  %y = quant.qcast %x : tensor<2x2xf32> to tensor<2x2x!qa>
  return %y : tensor<2x2x!qa>
}

// -----

/// A float batch norm with non-constant statistics cannot be lowered.
func.func @negative_batch_norm_dynamic_stats(%x: tensor<1x2x2x2xf32>, %m: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %s = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error@+2 {{failed to legalize operation 'qnn.batch_norm'}}
  // expected-error@+1 {{needs constant scale, bias, mean and variance to run in float}}
  %y = qnn.batch_norm %x, %s, %s, %m, %s {epsilon = 1.0e-05 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

/// Sigmoid and softmax need exp, and the generated code calls no libm: they
/// cannot stay in float.
func.func @negative_float_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'qnn.unary' op runs in float, and this op has no float lowering yet}}
  %y = qnn.unary %x {function = "sigmoid"} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @negative_float_softmax(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'qnn.softmax' op runs in float, and this op has no float lowering yet}}
  %y = qnn.softmax %x {axis = 1 : i64} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
