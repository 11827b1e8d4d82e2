// Calibration of a function with two inputs: --calibration-data (pass option
// data) takes one .npy per input, comma-separated, in input order. The
// ranges below are computed by hand from the samples the RUN lines write:
// x in [-1, 3], y in [0, 2]; x + y in [-1, 5].

// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON -c "import numpy as np; \
// RUN:   np.save('%t/x.npy', np.array([[-1.0, 3.0], [0.5, 0.0]], np.float32)); \
// RUN:   np.save('%t/y.npy', np.array([[0.0, 2.0], [1.0, 1.0]], np.float32)); \
// RUN:   np.save('%t/y3.npy', np.array([[0.0, 2.0], [1.0, 1.0], [1.0, 1.0]], np.float32))"
// RUN: quant-opt %s --qnn-calibrate="data=%t/x.npy,%t/y.npy" | FileCheck %s
// RUN: not quant-opt %s --qnn-calibrate="data=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=ONE-FILE
// RUN: not quant-opt %s --qnn-calibrate="data=%t/x.npy,%t/y3.npy" 2>&1 | FileCheck %s --check-prefix=MISMATCH

// x: scale 4/255, zero point round(-128 + 1/(4/255)) = round(-64.25) = -64;
// y: scale 2/255, zero point -128; sum: scale f32(6/255) = 0.0235294122,
// zero point round(-128 + 1/0.0235294122) = round(-85.5000008) = -86.
// CHECK-LABEL: func.func @two_inputs
// CHECK-DAG: quant.qcast %arg0 : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.015686{{[0-9]+}}:-64>>
// CHECK-DAG: quant.qcast %arg1 : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.0078431{{[0-9]+}}:-128>>
// CHECK: qnn.add
// CHECK: quant.qcast %{{.+}} : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.023529{{[0-9]+}}:-86>>
func.func @two_inputs(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %0 = qnn.add %x, %y : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// ONE-FILE: error: calibration data: 1 file given for a model with 2 inputs (one .npy per input, comma-separated, in input order)
// MISMATCH: error: calibration data {{.*}}y3.npy holds 3 samples of 1 per run, but {{.*}}x.npy holds 2 of 1 (every input needs the same samples)
