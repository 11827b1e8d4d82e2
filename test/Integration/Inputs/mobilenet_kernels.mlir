// The int8 kernels a MobileNet-style net adds, in one small graph for
// mobilenet-kernels.test: a depthwise conv with channel multiplier 2
// (group 2, 3x3, stride 2, padding 1) and a per-channel requantize with a
// ReLU6 clamp ([0, 6] real = [-20, 20]) (single rounding); an average pool whose windows touch
// the padding (2x2, stride 1, padding top/left 1, count_include_pad 0:
// window sizes 1, 2 and 4; double rounding); a global average pool
// (count_include_pad irrelevant; single rounding); and a concat of the
// pooled tensor with the conv output requantized to the concat's type.
!qx = !quant.uniform<i8:f32, 0.05:-10>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.02, 0.03, 0.025, 0.01}>
!qacc = !quant.uniform<i32:f32:1, {0.001, 0.0015, 0.00125, 0.0005}>
!qc = !quant.uniform<i8:f32, 0.15:-20>
!qp = !quant.uniform<i8:f32, 0.03:-100>
!qg = !quant.uniform<i8:f32, 0.05:-100>
func.func @main(%x: tensor<1x2x5x5x!qx>) -> (tensor<1x8x3x3x!qp>, tensor<1x4x1x1x!qg>) {
  %wi = arith.constant dense<[[[[12, -7, 3], [0, 127, -45], [9, 9, -127]]], [[[-3, 100, 17], [64, -64, 2], [1, 0, -99]]], [[[50, 50, 50], [-50, 7, -50], [33, -1, 88]]], [[[-127, 5, 6], [7, 8, 127], [-10, 11, 12]]]]> : tensor<4x1x3x3xi8>
  %w = quant.scast %wi : tensor<4x1x3x3xi8> to tensor<4x1x3x3x!qw>
  %b = arith.constant dense<[1500, -2200, 300, 7000]> : tensor<4xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5x!qx>, tensor<4x1x3x3x!qw>, tensor<4xi32>) -> tensor<1x4x3x3x!qacc>
  %c = qnn.requantize %acc {clamp_min = -20 : i64, clamp_max = 20 : i64} : tensor<1x4x3x3x!qacc> to tensor<1x4x3x3x!qc>
  %p = qnn.avg_pool %c {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 1, 1>, rounding = #qnn.rounding<double>} : (tensor<1x4x3x3x!qc>) -> tensor<1x4x3x3x!qp>
  %g = qnn.avg_pool %c {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3x!qc>) -> tensor<1x4x1x1x!qg>
  %cr = qnn.requantize %c : tensor<1x4x3x3x!qc> to tensor<1x4x3x3x!qp>
  %cat = qnn.concat %p, %cr {axis = 1 : i64} : (tensor<1x4x3x3x!qp>, tensor<1x4x3x3x!qp>) -> tensor<1x8x3x3x!qp>
  return %cat, %g : tensor<1x8x3x3x!qp>, tensor<1x4x1x1x!qg>
}
