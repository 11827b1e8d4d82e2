// The histogram range choosers (entropy, mse) and the symmetric activation
// scheme, checked against an independent numpy model of the documented
// algorithms (Inputs/calibration_methods.py): a signed, heavy-tailed input
// (Laplace with two outliers) and its ReLU (non-negative).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON %S/Inputs/calibration_methods.py data %t
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy method=entropy}))" -o %t/ent.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/ent.mlir %t/data.npy entropy asymmetric | FileCheck %s --check-prefix=ENT
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy method=entropy activation-scheme=symmetric}))" -o %t/ent-sym.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/ent-sym.mlir %t/data.npy entropy symmetric | FileCheck %s --check-prefix=ENT-SYM
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy method=mse}))" -o %t/mse.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/mse.mlir %t/data.npy mse asymmetric | FileCheck %s --check-prefix=MSE
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy method=mse activation-scheme=symmetric}))" -o %t/mse-sym.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/mse-sym.mlir %t/data.npy mse symmetric | FileCheck %s --check-prefix=MSE-SYM
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy activation-scheme=symmetric}))" -o %t/sym.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/sym.mlir %t/data.npy minmax symmetric | FileCheck %s --check-prefix=SYM
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy}))" -o %t/minmax.mlir
// RUN: %PYTHON %S/Inputs/calibration_methods.py check %t/minmax.mlir %t/data.npy minmax asymmetric | FileCheck %s --check-prefix=MINMAX
// RUN: not quant-opt %s --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data.npy activation-scheme=signed}))" 2>&1 | FileCheck %s --check-prefix=BAD-SCHEME

// ENT: entropy asymmetric input: {{.*}} OK
// ENT: entropy asymmetric relu: {{.*}} OK
// ENT-SYM: entropy symmetric input: {{.*}} zp 0 {{.*}} OK
// ENT-SYM: entropy symmetric relu: {{.*}} zp 0 {{.*}} OK
// MSE: mse asymmetric input: {{.*}} OK
// MSE: mse asymmetric relu: {{.*}} OK
// MSE-SYM: mse symmetric input: {{.*}} zp 0 {{.*}} OK
// MSE-SYM: mse symmetric relu: {{.*}} zp 0 {{.*}} OK
// SYM: minmax symmetric input: {{.*}} zp 0 {{.*}} OK
// SYM: minmax symmetric relu: {{.*}} zp 0 {{.*}} OK
// MINMAX: minmax asymmetric input: {{.*}} OK
// MINMAX: minmax asymmetric relu: {{.*}} OK
// BAD-SCHEME: error: unknown activation scheme 'signed' (asymmetric or symmetric)
func.func @methods(%x: tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32> {
  %r = qnn.relu %x : tensor<1x1x16x16xf32>
  return %r : tensor<1x1x16x16xf32>
}
