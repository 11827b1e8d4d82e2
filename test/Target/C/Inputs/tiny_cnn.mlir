// A tiny int8 CNN at the boundary the C backend sees after the int8
// pipeline: quantized function types, `quant.scast` at the edges, and the
// body already in int8 linalg (what qnn-lower-to-linalg-int8 produces):
// zero-point-corrected i32 input, tensor.pad, conv with a bias-initialized
// i32 accumulator, per-channel single-rounding requantize with a fused ReLU
// clamp, 2x2 max pool, flatten, matmul, per-tensor requantize through a reshape of the
// result (exercises the out-param forwarding of quantopt-plan-arena).
// Generated once by a seeded script; Inputs/tiny_cnn_reference.py reads the
// constants back from this file.
!qin = !quant.uniform<i8:f32, 0.0078125:-3>
!qout = !quant.uniform<i8:f32, 0.05:2>
#nchw = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#mat = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#vec = affine_map<(i) -> (i)>
func.func @main(%arg: tensor<1x1x8x8x!qin>) -> tensor<1x4x!qout> {
  %in = quant.scast %arg : tensor<1x1x8x8x!qin> to tensor<1x1x8x8xi8>
  %w1 = arith.constant dense<[[[[113, 32, 47], [101, 20, 70], [85, -70, -113]]], [[[-51, -55, 95], [105, -126, 0], [82, -94, 76]]], [[[-97, -8, 81], [-50, -40, -57], [56, -63, 125]]], [[[-14, -6, 1], [21, 14, 2], [126, 78, 75]]]]> : tensor<4x1x3x3xi8>
  %b1 = arith.constant dense<[1201, 733, -954, 2933]> : tensor<4xi32>
  %m1 = arith.constant dense<[1535222350, 1242799106, 1096587442, 1754539975]> : tensor<4xi64>
  %r1 = arith.constant dense<[1099511627776, 1099511627776, 549755813888, 2199023255552]> : tensor<4xi64>
  %s1 = arith.constant dense<[41, 41, 40, 42]> : tensor<4xi64>
  %w2 = arith.constant dense<[
      [-9, -73, 88, -87],
      [91, 29, -98, -116],
      [-14, -118, -91, 4],
      [120, -9, 79, 106],
      [82, 33, -15, 4],
      [-60, -1, -31, -64],
      [126, -124, -103, -78],
      [120, 49, 97, -76],
      [56, -33, -3, -127],
      [30, 84, 42, -88],
      [9, -59, 119, 97],
      [-80, 2, 112, 89],
      [53, 36, -117, 62],
      [-7, -104, -65, 10],
      [58, 2, 29, 95],
      [47, -35, 37, 25]]> : tensor<16x4xi8>
  %b2 = arith.constant dense<[-1568, -1763, 640, -450]> : tensor<4xi32>
  %c0_i32 = arith.constant 0 : i32

  // Input minus its zero point, in i32, padded with (real) zero.
  %e0 = tensor.empty() : tensor<1x1x8x8xi32>
  %x = linalg.generic {indexing_maps = [#nchw, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%in : tensor<1x1x8x8xi8>) outs(%e0 : tensor<1x1x8x8xi32>) {
  ^bb0(%v: i8, %o: i32):
    %zp = arith.constant -3 : i32
    %v32 = arith.extsi %v : i8 to i32
    %d = arith.subi %v32, %zp : i32
    linalg.yield %d : i32
  } -> tensor<1x1x8x8xi32>
  %xp = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %c0_i32 : i32
  } : tensor<1x1x8x8xi32> to tensor<1x1x10x10xi32>
  %ew = tensor.empty() : tensor<4x1x3x3xi32>
  %w1e = linalg.generic {indexing_maps = [#nchw, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%w1 : tensor<4x1x3x3xi8>) outs(%ew : tensor<4x1x3x3xi32>) {
  ^bb0(%v: i8, %o: i32):
    %v32 = arith.extsi %v : i8 to i32
    linalg.yield %v32 : i32
  } -> tensor<4x1x3x3xi32>

  // Conv 3x3, stride 2, accumulating on top of the bias.
  %ea = tensor.empty() : tensor<1x4x4x4xi32>
  %acc0 = linalg.generic {indexing_maps = [#chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b1 : tensor<4xi32>) outs(%ea : tensor<1x4x4x4xi32>) {
  ^bb0(%b: i32, %o: i32):
    linalg.yield %b : i32
  } -> tensor<1x4x4x4xi32>
  %acc = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%xp, %w1e : tensor<1x1x10x10xi32>, tensor<4x1x3x3xi32>) outs(%acc0 : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>

  // Requantize per channel: (acc * M + round) >> shift, + zp, ReLU clamp.
  %eq = tensor.empty() : tensor<1x4x4x4xi8>
  %y1 = linalg.generic {indexing_maps = [#nchw, #chan, #chan, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc, %m1, %r1, %s1 : tensor<1x4x4x4xi32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) outs(%eq : tensor<1x4x4x4xi8>) {
  ^bb0(%a: i32, %m: i64, %r: i64, %s: i64, %o: i8):
    %zp = arith.constant -5 : i64
    %hi = arith.constant 127 : i64
    %a64 = arith.extsi %a : i32 to i64
    %p = arith.muli %a64, %m : i64
    %pr = arith.addi %p, %r : i64
    %q = arith.shrsi %pr, %s : i64
    %qz = arith.addi %q, %zp : i64
    %lo_c = arith.maxsi %qz, %zp : i64
    %hi_c = arith.minsi %lo_c, %hi : i64
    %t = arith.trunci %hi_c : i64 to i8
    linalg.yield %t : i8
  } -> tensor<1x4x4x4xi8>

  // 2x2 max pool, stride 2 (the window tensor only gives the shape).
  %min = arith.constant -128 : i8
  %ep = tensor.empty() : tensor<1x4x2x2xi8>
  %pinit = linalg.fill ins(%min : i8) outs(%ep : tensor<1x4x2x2xi8>) -> tensor<1x4x2x2xi8>
  %window = tensor.empty() : tensor<2x2xi8>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%y1, %window : tensor<1x4x4x4xi8>, tensor<2x2xi8>) outs(%pinit : tensor<1x4x2x2xi8>) -> tensor<1x4x2x2xi8>

  // Flatten and fully connected layer.
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : tensor<1x4x2x2xi8> into tensor<1x16xi8>
  %ef = tensor.empty() : tensor<1x16xi32>
  %f = linalg.generic {indexing_maps = [#mat, #mat], iterator_types = ["parallel", "parallel"]}
      ins(%flat : tensor<1x16xi8>) outs(%ef : tensor<1x16xi32>) {
  ^bb0(%v: i8, %o: i32):
    %zp = arith.constant -5 : i32
    %v32 = arith.extsi %v : i8 to i32
    %d = arith.subi %v32, %zp : i32
    linalg.yield %d : i32
  } -> tensor<1x16xi32>
  %ew2 = tensor.empty() : tensor<16x4xi32>
  %w2e = linalg.generic {indexing_maps = [#mat, #mat], iterator_types = ["parallel", "parallel"]}
      ins(%w2 : tensor<16x4xi8>) outs(%ew2 : tensor<16x4xi32>) {
  ^bb0(%v: i8, %o: i32):
    %v32 = arith.extsi %v : i8 to i32
    linalg.yield %v32 : i32
  } -> tensor<16x4xi32>
  %em = tensor.empty() : tensor<1x4xi32>
  %mm0 = linalg.generic {indexing_maps = [#col, #mat], iterator_types = ["parallel", "parallel"]}
      ins(%b2 : tensor<4xi32>) outs(%em : tensor<1x4xi32>) {
  ^bb0(%b: i32, %o: i32):
    linalg.yield %b : i32
  } -> tensor<1x4xi32>
  %mm = linalg.matmul ins(%f, %w2e : tensor<1x16xi32>, tensor<16x4xi32>) outs(%mm0 : tensor<1x4xi32>) -> tensor<1x4xi32>

  // Requantize per tensor on the flat vector, then back to 1x4.
  %mmv = tensor.collapse_shape %mm [[0, 1]] : tensor<1x4xi32> into tensor<4xi32>
  %eo = tensor.empty() : tensor<4xi8>
  %ov = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%mmv : tensor<4xi32>) outs(%eo : tensor<4xi8>) {
  ^bb0(%a: i32, %o: i8):
    %m = arith.constant 1085217885 : i64
    %r = arith.constant 274877906944 : i64
    %s = arith.constant 39 : i64
    %zp = arith.constant 2 : i64
    %lo = arith.constant -128 : i64
    %hi = arith.constant 127 : i64
    %a64 = arith.extsi %a : i32 to i64
    %p = arith.muli %a64, %m : i64
    %pr = arith.addi %p, %r : i64
    %q = arith.shrsi %pr, %s : i64
    %qz = arith.addi %q, %zp : i64
    %lo_c = arith.maxsi %qz, %lo : i64
    %hi_c = arith.minsi %lo_c, %hi : i64
    %t = arith.trunci %hi_c : i64 to i8
    linalg.yield %t : i8
  } -> tensor<4xi8>
  %o2 = tensor.expand_shape %ov [[0, 1]] output_shape [1, 4] : tensor<4xi8> into tensor<1x4xi8>
  %out = quant.scast %o2 : tensor<1x4xi8> to tensor<1x4x!qout>
  return %out : tensor<1x4x!qout>
}
