// A model with two inputs and two outputs at the boundary the backends see
// after the int8 pipeline, for the pointer-array form of the entry points
// (docs/GeneratedAPI.md, "Several inputs or outputs"):
//   out0 = a                                   (a copy: memcpy in the object)
//   out1[j] = clamp(b[0][j] + b[1][j] + a[0][j] - 2 * zp_b - zp_a + zp_d)
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:1>
!qd = !quant.uniform<i8:f32, 0.125:5>
#row = affine_map<(j) -> (0, j)>
#row1 = affine_map<(j) -> (1, j)>
#vec = affine_map<(j) -> (j)>
func.func @main(%qa: tensor<1x4x!qa>, %qb: tensor<2x3x!qb>)
    -> (tensor<1x4x!qa>, tensor<3x!qd>) {
  %a = quant.scast %qa : tensor<1x4x!qa> to tensor<1x4xi8>
  %b = quant.scast %qb : tensor<2x3x!qb> to tensor<2x3xi8>
  %a3 = tensor.extract_slice %a[0, 0] [1, 3] [1, 1]
      : tensor<1x4xi8> to tensor<3xi8>
  %e = tensor.empty() : tensor<3xi8>
  %s = linalg.generic {indexing_maps = [#row, #row1, #vec, #vec],
                       iterator_types = ["parallel"]}
      ins(%b, %b, %a3 : tensor<2x3xi8>, tensor<2x3xi8>, tensor<3xi8>)
      outs(%e : tensor<3xi8>) {
  ^bb0(%b0: i8, %b1: i8, %x: i8, %o: i8):
    %zpa = arith.constant -3 : i32
    %zpb2 = arith.constant 2 : i32
    %zpd = arith.constant 5 : i32
    %lo = arith.constant -128 : i32
    %hi = arith.constant 127 : i32
    %b0w = arith.extsi %b0 : i8 to i32
    %b1w = arith.extsi %b1 : i8 to i32
    %xw = arith.extsi %x : i8 to i32
    %t0 = arith.addi %b0w, %b1w : i32
    %t1 = arith.addi %t0, %xw : i32
    %t2 = arith.subi %t1, %zpb2 : i32
    %t3 = arith.subi %t2, %zpa : i32
    %t4 = arith.addi %t3, %zpd : i32
    %t5 = arith.maxsi %t4, %lo : i32
    %t6 = arith.minsi %t5, %hi : i32
    %t = arith.trunci %t6 : i32 to i8
    linalg.yield %t : i8
  } -> tensor<3xi8>
  %out0 = quant.scast %a : tensor<1x4xi8> to tensor<1x4x!qa>
  %out1 = quant.scast %s : tensor<3xi8> to tensor<3x!qd>
  return %out0, %out1 : tensor<1x4x!qa>, tensor<3x!qd>
}
