// The per-layer report (simulated QDQ graph vs float graph), keep-float and
// mixed-precision selection, on a two-Gemm graph. Every number is recomputed
// by an independent numpy model (Inputs/layer_report.py).
//
// RUN: rm -rf %t && split-file %s %t
// RUN: %PYTHON %S/Inputs/layer_report.py data %t
//
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy layer-report=%t/r.json}))" -o /dev/null
// RUN: %PYTHON %S/Inputs/layer_report.py report %t/r.json %t/x.npy | FileCheck %t/two-gemms.mlir --check-prefix=REPORT
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy layer-report=-}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=TABLE
//
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy keep-float=fc2}))" | FileCheck %t/two-gemms.mlir --check-prefix=KEEP-NAME
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy keep-float=Gemm}))" | FileCheck %t/two-gemms.mlir --check-prefix=KEEP-TYPE
//
// Mixed precision: the script checks the numpy model's all-int8 SQNR and
// ranking against the report; 40.1 dB lies between the all-int8 SQNR (40.05)
// and the SQNR with the worst layer, fc2, in float (40.22); 200 dB is out of
// reach (the activations stay int8).
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy mixed-precision-sqnr=40.1 layer-report=%t/m.json}))" 2>&1 -o %t/m.mlir | FileCheck %t/two-gemms.mlir --check-prefix=MIXED
// RUN: %PYTHON %S/Inputs/layer_report.py mixed %t/m.json %t/x.npy 40.1 99 | FileCheck %t/two-gemms.mlir --check-prefix=MIXED-NP
// RUN: FileCheck %t/two-gemms.mlir --check-prefix=MIXED-IR < %t/m.mlir
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy mixed-precision-sqnr=200 mixed-precision-max-float=1 layer-report=%t/cap.json}))" 2>&1 -o /dev/null | FileCheck %t/two-gemms.mlir --check-prefix=CAP
// RUN: %PYTHON %S/Inputs/layer_report.py mixed %t/cap.json %t/x.npy 200 1
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy mixed-precision-sqnr=40.1 quiet=true}))" 2>&1 -o /dev/null | FileCheck %t/two-gemms.mlir --check-prefix=QUIET --allow-empty
//
// RUN: quant-opt %t/qdq.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{layer-report=%t/qdq.json}))" -o /dev/null
// RUN: %PYTHON -c "import json; r = json.load(open('%t/qdq.json')); print(json.dumps(r, sort_keys=True))" | FileCheck %t/qdq.mlir
//
// RUN: quant-opt %t/fused-name.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy keep-float=bn1 layer-report=%t/fused.json}))" | FileCheck %t/fused-name.mlir
// RUN: %PYTHON -c "import json; print(json.load(open('%t/fused.json'))['layers'][0]['name'])" | FileCheck %t/fused-name.mlir --check-prefix=NAME
// RUN: quant-opt %t/unknown-layer.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy keep-float=fc3}))"
// RUN: quant-opt %t/bad-sqnr.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy mixed-precision-sqnr=-3}))"
// RUN: quant-opt %t/bad-report-path.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy layer-report=%t/no/such/dir/r.json}))"

//--- two-gemms.mlir

// REPORT: fc1 input scale: {{.*}} OK
// REPORT: fc1 sqnr: {{.*}} OK
// REPORT: fc1 cosine: {{.*}} OK
// REPORT: fc1 own sqnr: {{.*}} OK
// REPORT: fc2 input scale: {{.*}} OK
// REPORT: fc2 sqnr: {{.*}} OK
// REPORT: fc2 own sqnr: {{.*}} OK
// REPORT: final sqnr: {{.*}} OK

// TABLE: layer report (50 samples simulated)
// TABLE-NEXT: layer op input s:zp output s:zp weight scales w bytes b bytes SQNR dB cosine
// TABLE-NEXT: fc1 Gemm+Relu {{.*}} 12 12 {{[0-9]+\.[0-9]+}} 0.9{{[0-9]+}}
// TABLE-NEXT: fc2 Gemm {{.*}} 6 8 {{[0-9]+\.[0-9]+}} 0.9{{[0-9]+}}
// TABLE-NEXT: final output: SQNR {{[0-9]+\.[0-9]+}} dB, cosine 0.9{{[0-9]+}}

/// keep-float by node name: fc2 keeps its f32 weight constant (no scast)
/// and gets qnn.keep_float; its input and output are still quantized.
// KEEP-NAME-LABEL: func.func @two_gemms
//       KEEP-NAME:   quant.scast %{{.+}} : tensor<3x4xi8>
//       KEEP-NAME:   %[[G1:.+]] = qnn.gemm
//   KEEP-NAME-NOT:   qnn.keep_float
//       KEEP-NAME:   %[[Q:.+]] = quant.qcast %{{.+}} : tensor<1x3xf32>
//       KEEP-NAME:   %[[D:.+]] = quant.dcast %[[Q]]
//   KEEP-NAME-NOT:   quant.scast
//       KEEP-NAME:   %[[G2:.+]] = qnn.gemm %[[D]], %[[W2:[^ ,]+]], %{{.+}} {qnn.keep_float, transB = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>)
//       KEEP-NAME:   quant.qcast %[[G2]]

/// keep-float by op type: both Gemms.
// KEEP-TYPE-LABEL: func.func @two_gemms
//   KEEP-TYPE-NOT:   quant.scast
//       KEEP-TYPE:   qnn.gemm {{.*}}qnn.keep_float
//       KEEP-TYPE:   qnn.gemm {{.*}}qnn.keep_float

// MIXED: mixed precision: 1 layer(s) kept in float ({{fc[12]}}): output SQNR {{[0-9.]+}} dB (all int8: {{[0-9.]+}} dB, target 40.10 dB){{$}}
// MIXED-NP: kept ['{{fc[12]}}']
// MIXED-NP: reached sqnr: {{.*}} OK
// MIXED-IR: qnn.keep_float
// MIXED-IR-NOT: qnn.keep_float
// CAP: mixed precision: 1 layer(s) kept in float ({{fc[12]}}): {{.*}}, target not reached
// QUIET-NOT: mixed precision

func.func @two_gemms(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[0.5, -0.3, 0.8, 0.1], [-0.7, 0.2, 0.05, 0.4], [0.3, 0.9, -0.6, -0.2]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[0.1, -0.2, 0.05]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 0.013, -0.6], [0.004, -0.8, 0.35]]> : tensor<2x3xf32>
  %b2 = arith.constant dense<[0.2, -0.1]> : tensor<2xf32>
  %h = qnn.gemm %x, %w1, %b1 {transB = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc1")
  %r = qnn.relu %h : tensor<1x3xf32> loc("relu1")
  %y = qnn.gemm %r, %w2, %b2 {transB = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  return %y : tensor<1x2xf32>
}

//--- qdq.mlir
/// A QDQ model: the report has parameters and bytes, no simulated error.
// CHECK: {"layers": [{"bias_bytes": 8, "inputs": [{"scale": 0.5, "zero_point": 3}], "keep_float": false, "name": "fc", "op": "Gemm", "output": {"scale": 0.25, "zero_point": -1}, "weight": {"bytes": 4, "channels": 2, "dtype": "int8", "scale_max": 0.125, "scale_min": 0.0625}}], "samples": 0}
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0625, 0.125}>
!qy = !quant.uniform<i8:f32, 0.25:-1>
func.func @qdq(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!qx>
  %d = quant.dcast %q : tensor<1x2x!qx> to tensor<1x2xf32>
  %wi = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %ws = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %ws : tensor<2x2x!qw> to tensor<2x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %g = qnn.gemm %d, %wd, %b {transB = true} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %gq = quant.qcast %g : tensor<1x2xf32> to tensor<1x2x!qy>
  %gd = quant.dcast %gq : tensor<1x2x!qy> to tensor<1x2xf32>
  return %gd : tensor<1x2xf32>
}

//--- fused-name.mlir
/// A Gemm with a BatchNormalization folded into it carries both node names
/// (a fused location): either selects it, the report names it by the first.
// CHECK: qnn.gemm {{.*}}qnn.keep_float
// NAME: fc1
func.func @fused_name(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w1 = arith.constant dense<0.5> : tensor<3x4xf32>
  %h = qnn.gemm %x, %w1 {transB = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32> loc(fused["fc1", "bn1"])
  return %h : tensor<1x3xf32>
}

//--- unknown-layer.mlir
// expected-error@+1 {{keep-float: no Conv, Gemm or MatMul layer is named or typed 'fc3'; valid: fc1, Gemm}}
func.func @unknown_layer(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w1 = arith.constant dense<0.5> : tensor<3x4xf32>
  %h = qnn.gemm %x, %w1 {transB = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32> loc("fc1")
  return %h : tensor<1x3xf32>
}

//--- bad-sqnr.mlir
// expected-error@+1 {{mixed-precision-sqnr must be a finite number of dB >= 0 (0: off), got -3}}
func.func @bad_sqnr(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = qnn.relu %x : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

//--- bad-report-path.mlir
// expected-error@+1 {{cannot write}}
func.func @bad_report_path(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = qnn.relu %x : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
