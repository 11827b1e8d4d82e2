// A float input (Relu runs in float) and a QDQ input meet in an int8 Add;
// outputs: the dequantized Add (int8 output tensor) and a float Clip of it
// (float output). Used by float-layers.test.
!q = !quant.uniform<i8:f32, 0.25:2>
func.func @main(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %r = qnn.relu %a : tensor<1x4xf32>
  %rq = quant.qcast %r : tensor<1x4xf32> to tensor<1x4x!q>
  %rd = quant.dcast %rq : tensor<1x4x!q> to tensor<1x4xf32>
  %bq = quant.qcast %b : tensor<1x4xf32> to tensor<1x4x!q>
  %bd = quant.dcast %bq : tensor<1x4x!q> to tensor<1x4xf32>
  %s = qnn.add %rd, %bd : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %sq = quant.qcast %s : tensor<1x4xf32> to tensor<1x4x!q>
  %sd = quant.dcast %sq : tensor<1x4x!q> to tensor<1x4xf32>
  %c = qnn.clip %sd {min = 0.0 : f32, max = 1.0 : f32} : tensor<1x4xf32>
  return %sd, %c : tensor<1x4xf32>, tensor<1x4xf32>
}
