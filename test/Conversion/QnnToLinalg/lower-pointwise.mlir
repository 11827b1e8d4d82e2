// RUN: quant-opt %s --split-input-file --verify-diagnostics --mlir-print-elementsattrs-with-hex-if-larger=-1 --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s
// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s --check-prefix=NOFLOAT

// The integer path creates no float op and no float type anywhere.
// NOFLOAT-NOT: {{arith\.[a-z]+f |sitofp|uitofp|fptosi|fptoui|bf16|f16|f32|f64}}

/// qnn.lut: the table becomes a 256 x i8 constant read at x + 128.
// CHECK-LABEL: func.func @lut
//  CHECK-SAME:     %[[X:.+]]: tensor<4xi8>
//       CHECK:   %[[T:.+]] = arith.constant dense<[-128, -127, -126,
//  CHECK-SAME:     126, 127]> : tensor<256xi8>
//       CHECK:   linalg.generic {{.+}} ins(%[[X]] : tensor<4xi8>)
//       CHECK:   ^bb0(%[[IN:.+]]: i8, %{{.+}}: i8):
//       CHECK:     %[[W:.+]] = arith.extsi %[[IN]] : i8 to i32
//       CHECK:     %[[I:.+]] = arith.addi %[[W]], %{{.+}} : i32
//       CHECK:     %[[IX:.+]] = arith.index_cast %[[I]] : i32 to index
//       CHECK:     %[[V:.+]] = tensor.extract %[[T]][%[[IX]]] : tensor<256xi8>
//       CHECK:     linalg.yield %[[V]] : i8
!q = !quant.uniform<i8:f32, 0.5>
func.func @lut(%x: tensor<4x!q>) -> tensor<4x!q> {
  %0 = qnn.lut %x {table = array<i8: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : (tensor<4x!q>) -> tensor<4x!q>
  return %0 : tensor<4x!q>
}

// -----

/// qnn.mul: (a - zp_a) * (b - zp_b) in i32; the [1, 4, 1, 1] operand is
/// broadcast by its indexing map.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[BC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @mul_broadcast
//       CHECK:   linalg.generic {indexing_maps = [#[[ID]], #[[BC]], #[[ID]]]
//  CHECK-SAME:     outs(%{{.+}} : tensor<1x4x2x2xi32>)
//       CHECK:     %[[A:.+]] = arith.extsi %{{.+}} : i8 to i32
//       CHECK:     %[[ZA:.+]] = arith.constant -3 : i32
//       CHECK:     %[[CA:.+]] = arith.subi %[[A]], %[[ZA]] : i32
//       CHECK:     %[[B:.+]] = arith.extsi %{{.+}} : i8 to i32
//       CHECK:     %[[ZB:.+]] = arith.constant 7 : i32
//       CHECK:     %[[CB:.+]] = arith.subi %[[B]], %[[ZB]] : i32
//       CHECK:     %[[P:.+]] = arith.muli %[[CA]], %[[CB]] : i32
//       CHECK:     linalg.yield %[[P]] : i32
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
!qp = !quant.uniform<i32:f32, 0.125>
func.func @mul_broadcast(%a: tensor<1x4x2x2x!qa>, %b: tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qp> {
  %0 = qnn.mul %a, %b : (tensor<1x4x2x2x!qa>, tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qp>
  return %0 : tensor<1x4x2x2x!qp>
}

// -----

/// A scalar (rank-0) operand is viewed as [1] (EmitC has no 0-D loads).
// CHECK-LABEL: func.func @mul_scalar
//       CHECK:   %[[S:.+]] = tensor.expand_shape %{{.+}} [] output_shape [1] : tensor<i8> into tensor<1xi8>
//       CHECK:   linalg.generic {{.+}} ins(%{{.+}}, %[[S]] : tensor<2x3xi8>, tensor<1xi8>)
!qa = !quant.uniform<i8:f32, 0.5>
!qp = !quant.uniform<i32:f32, 0.25>
func.func @mul_scalar(%a: tensor<2x3x!qa>, %b: tensor<!qa>) -> tensor<2x3x!qp> {
  %0 = qnn.mul %a, %b : (tensor<2x3x!qa>, tensor<!qa>) -> tensor<2x3x!qp>
  return %0 : tensor<2x3x!qp>
}

// -----

/// qnn.transpose: the input map is the permutation (result dim i reads
/// input dim perm[i]).
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @transpose
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]]
//  CHECK-SAME:     ins(%{{.+}} : tensor<1x4x2x3xi8>) outs(%{{.+}} : tensor<1x2x3x4xi8>)
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @transpose(%x: tensor<1x4x2x3x!q>) -> tensor<1x2x3x4x!q> {
  %0 = qnn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x2x3x!q>) -> tensor<1x2x3x4x!q>
  return %0 : tensor<1x2x3x4x!q>
}

// -----

/// qnn.softmax: the row max, the int64 sum of E[max - x], then
/// min(127, (512 E + S) / (2 S) - 128). E[d] = round(2^20 exp(-0.1 d))
/// computed with numpy in double: 1048576, 948791, 858501, 776804, ...,
/// E[255] = 0.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @softmax
//       CHECK:   %[[E:.+]] = arith.constant dense<[1048576, 948791, 858501, 776804,
//  CHECK-SAME:     0]> : tensor<256xi32>
//       CHECK:   %[[M0:.+]] = linalg.fill ins(%{{.+}} : i8) outs(%{{.+}} : tensor<2x1xi8>)
//       CHECK:   %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
//       CHECK:     arith.maxsi
//       CHECK:   %[[S0:.+]] = linalg.fill ins(%{{.+}} : i64) outs(%{{.+}} : tensor<2x1xi64>)
//       CHECK:   %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
//       CHECK:     tensor.extract %[[E]]
//       CHECK:     arith.addi
//       CHECK:   linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:     ins(%{{.+}}, %[[MAX]], %[[SUM]] :
//       CHECK:     tensor.extract %[[E]]
//       CHECK:     arith.constant 512 : i64
//       CHECK:     arith.divsi
//       CHECK:     arith.constant 128 : i64
//       CHECK:     arith.constant 127 : i64
//       CHECK:     arith.minsi
//       CHECK:     arith.trunci
!q = !quant.uniform<i8:f32, 0.1:4>
!p = !quant.uniform<i8:f32, 0.00390625:-128>
func.func @softmax(%x: tensor<2x10x!q>) -> tensor<2x10x!p> {
  %s = qnn.softmax %x {axis = 1 : i64} : (tensor<2x10x!q>) -> tensor<2x10x!p>
  return %s : tensor<2x10x!p>
}

// -----

/// qnn.softmax along a middle axis: the per-row tensors have a 1 at the
/// axis (3x1x2), their maps read index 0 there, and the axis is the
/// reduction of the max and sum loops.
// CHECK-DAG: #[[ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW3:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @softmax_middle_axis
//       CHECK:   linalg.fill ins(%{{.+}} : i8) outs(%{{.+}} : tensor<3x1x2xi8>)
//       CHECK:   %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]]], iterator_types = ["parallel", "reduction", "parallel"]}
//       CHECK:   %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]], #[[ROW3]]], iterator_types = ["parallel", "reduction", "parallel"]}
//       CHECK:   linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]], #[[ROW3]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
//  CHECK-SAME:     ins(%{{.+}}, %[[MAX]], %[[SUM]] :
!q = !quant.uniform<i8:f32, 0.1:4>
!p = !quant.uniform<i8:f32, 0.00390625:-128>
func.func @softmax_middle_axis(%x: tensor<3x4x2x!q>) -> tensor<3x4x2x!p> {
  %s = qnn.softmax %x {axis = 1 : i64} : (tensor<3x4x2x!q>) -> tensor<3x4x2x!p>
  return %s : tensor<3x4x2x!p>
}

// -----

/// A float mul (an operand that was never quantized) is reported by name.
!q = !quant.uniform<i8:f32, 0.5>
func.func @negative_float_mul(%a: tensor<4x!q>) -> tensor<4x!q> {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %d = quant.dcast %a : tensor<4x!q> to tensor<4xf32>
  // expected-error@+1 {{'qnn.mul' op is still in float after quantization; the int8 lowering needs every op quantized}}
  %0 = qnn.mul %d, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = quant.qcast %0 : tensor<4xf32> to tensor<4x!q>
  return %q : tensor<4x!q>
}
