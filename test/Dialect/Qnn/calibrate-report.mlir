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
/// The accuracy budget: 50 samples near the decision boundary, where int8
/// flips a top-1 decision that floating either Gemm does not repair (its
/// activations stay int8), so a zero budget is not met and the best prefix,
/// no float layer, is kept; against labels (every 4th flipped) and as
/// agreement with float.
// RUN: %PYTHON %S/Inputs/layer_report.py close %t
// RUN: %PYTHON %S/Inputs/layer_report.py labels %t %t/close.npy
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy mixed-precision-accuracy=0 layer-report=%t/agree.json}))" 2>&1 -o /dev/null | FileCheck %t/two-gemms.mlir --check-prefix=AGREE
// RUN: %PYTHON %S/Inputs/layer_report.py accuracy %t/agree.json %t/close.npy 0 99 | FileCheck %t/two-gemms.mlir --check-prefix=ACC-NP
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/labels.npy mixed-precision-accuracy=0 layer-report=%t/labelled.json}))" 2>&1 -o /dev/null | FileCheck %t/two-gemms.mlir --check-prefix=LABELLED
// RUN: %PYTHON %S/Inputs/layer_report.py accuracy %t/labelled.json %t/close.npy 0 99 %t/labels.npy | FileCheck %t/two-gemms.mlir --check-prefix=ACC-NP
// RUN: quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/labels.npy mixed-precision-accuracy=2.5 layer-report=-}))" 2>&1 -o /dev/null | FileCheck %t/two-gemms.mlir --check-prefix=WITHIN
// RUN: %PYTHON -c "import numpy as np; np.save('%t/three.npy', np.zeros(3, np.int64)); np.save('%t/seven.npy', np.full(50, 7, np.uint8)); np.save('%t/flabels.npy', np.zeros(50, np.float32))"
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy mixed-precision-accuracy=1 mixed-precision-sqnr=30}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=BOTH
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/labels.npy}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=UNUSED
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy mixed-precision-accuracy=101}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=RANGE
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/three.npy mixed-precision-accuracy=1}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=COUNT
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/seven.npy mixed-precision-accuracy=1}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=CLASS
// RUN: not quant-opt %t/two-gemms.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/close.npy labels=%t/flabels.npy mixed-precision-accuracy=1}))" -o /dev/null 2>&1 | FileCheck %t/two-gemms.mlir --check-prefix=FLOAT-LABELS
// RUN: %PYTHON -c "import numpy as np; np.save('%t/nc.npy', np.ones((4, 1, 2, 2), np.float32))"
// RUN: quant-opt %t/not-classifier.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/nc.npy mixed-precision-accuracy=1}))"
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
// AGREE: mixed precision: 0 layer(s) kept in float: top-1 agreement with float 98.00% on 50 calibration samples (float 100.00%, all int8 98.00%, budget 0.00 points), budget not met
// LABELLED: mixed precision: 0 layer(s) kept in float: top-1 accuracy 72.00% on 50 calibration samples (float 74.00%, all int8 72.00%, budget 0.00 points), budget not met
// ACC-NP: all int8: {{[0-9.]+}};
// ACC-NP: float ['{{fc[12]}}']:
// ACC-NP: float ['{{fc[12]}}', '{{fc[12]}}']:
// ACC-NP: kept [], report []
// ACC-NP: reached accuracy: {{.*}} OK
// WITHIN: mixed precision: 0 layer(s) kept in float: top-1 accuracy 72.00% on 50 calibration samples (float 74.00%, all int8 72.00%, budget 2.50 points){{$}}
// WITHIN: mixed precision (top-1 accuracy 72.00%, float 74.00%, budget 2.50 points): float layers: none
// BOTH: error: mixed-precision-sqnr and mixed-precision-accuracy are two budgets for the same choice; give one
// UNUSED: error: calibration labels are used by mixed-precision-accuracy only
// RANGE: error: mixed-precision-accuracy must be a number of percentage points in [0, 100] (-1: off), got 101
// COUNT: error: calibration labels {{.*}}three.npy must be one label per calibration sample, shape [50], got [3]
// CLASS: error: calibration labels {{.*}}seven.npy: label 7 of sample 0 is not a class of the 2-way output
// FLOAT-LABELS: error: calibration labels: {{.*}}flabels.npy: dtype must be a little-endian integer type (int8 .. int64, uint8 .. uint64), got '<f4'

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

//--- not-classifier.mlir
// expected-error@+1 {{mixed-precision-accuracy needs a classifier: the first output must be [batch, classes] scores with batch 1 and at least 2 classes, got 'tensor<1x2x2xf32>'}}
func.func @not_classifier(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x2x2xf32>
  return %r : tensor<1x2x2xf32>
}
