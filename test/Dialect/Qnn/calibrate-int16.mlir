// qnn-calibrate with int16-layers (16x8): the chosen layers' output
// activations get a symmetric int16 type whose scale float32(max|x|) / 32767
// is recomputed by numpy (Inputs/int16_net.py) for a conv, a depthwise
// conv and a gemm; max pool and flatten keep
// it; the other activations stay int8, and ops without a 16-bit form read
// an int16 value through the int8 type calibration gives it. Layers are chosen by ONNX node name
// or op type, like keep-float (the same matcher).
//
// RUN: rm -rf %t && split-file %s %t
// RUN: %PYTHON %quantopt_src/test/Integration/Inputs/int16_net.py mlir > %t/net.mlir
// RUN: %PYTHON %quantopt_src/test/Integration/Inputs/int16_net.py data %t/x.npy
//
// RUN: quant-opt %t/net.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=Conv,Gemm}))" > %t/types.mlir
// RUN: FileCheck %t/checks.txt --check-prefix=TYPES < %t/types.mlir
// RUN: %PYTHON %quantopt_src/test/Integration/Inputs/int16_net.py scales %t/x.npy < %t/types.mlir | FileCheck %t/checks.txt --check-prefix=SCALES
// RUN: quant-opt %t/net.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=conv1}))" | FileCheck %t/checks.txt --check-prefix=NAME
// RUN: quant-opt %t/net.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=pool1}))" | FileCheck %t/checks.txt --check-prefix=POOL
// RUN: quant-opt %t/net.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy}))" | FileCheck %t/checks.txt --check-prefix=NONE
// RUN: quant-opt %t/net.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=Conv mixed-precision-sqnr=200}))" 2>&1 -o /dev/null | FileCheck %t/checks.txt --check-prefix=MIXED
//
// A product whose int32 accumulator could overflow on an int16 input
// (fc2: K = 600 weights of 127, 32767 * 76200 > 2^31 - 1) reads the chosen
// layer's int16 output through int8 instead of failing.
// RUN: %PYTHON -c "import numpy as np; np.save('%t/deep.npy', np.linspace(-1, 1, 1200, dtype=np.float32).reshape(2, 600))"
// RUN: quant-opt %t/deep.mlir --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/deep.npy int16-layers=fc1}))" | FileCheck %t/checks.txt --check-prefix=DEEP
//
// RUN: quant-opt %t/unknown-layer.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=add1}))"
// RUN: quant-opt %t/both.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/x.npy int16-layers=conv1 keep-float=Conv}))"

//--- checks.txt
// TYPES: qnn.conv
// TYPES: qnn.relu
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x4x6x6x!quant.uniform<i16<-32767:32767>:f32, [[S1:[0-9.eE+-]+]]>>
// TYPES: qnn.conv {{.*}}group = 4
// TYPES: qnn.clip
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x4x6x6x!quant.uniform<i16<-32767:32767>:f32, [[SD:[0-9.eE+-]+]]>>
// TYPES: qnn.max_pool
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x4x2x2x!quant.uniform<i16<-32767:32767>:f32, [[SD]]>>
// TYPES: qnn.flatten
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x16x!quant.uniform<i16<-32767:32767>:f32, [[SD]]>>
// TYPES: qnn.gemm
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x3x!quant.uniform<i16<-32767:32767>:f32,
/// The function result has no 16-bit form: it reads fc's output through
/// the int8 type calibration gives fc's output (asymmetric; the numpy
/// model recomputes it in SCALES).
// TYPES-NEXT: quant.dcast
// TYPES-NEXT: quant.qcast {{.*}} to tensor<1x3x!quant.uniform<i8:f32, {{[0-9.eE+-]+}}:{{-?[0-9]+}}>>
// TYPES-NEXT: %[[N:.+]] = quant.dcast
// TYPES-NEXT: return %[[N]]

// SCALES: 5 int16 qcasts, pool and flatten keep the clip's scale: True
// SCALES: relu int16 scale {{.*}}: OK
// SCALES: clip int16 scale {{.*}}: OK
// SCALES: fc int16 scale {{.*}}: OK
// SCALES: fc int8 output type {{.*}}: OK

/// By node name: conv1's output (after its relu) is int16; dw1's and fc's
/// are int8.
// NAME: qnn.relu
// NAME-NEXT: quant.qcast {{.*}} to tensor<1x4x6x6x!quant.uniform<i16<-32767:32767>
// NAME: qnn.clip
// NAME-NEXT: quant.qcast {{.*}} to tensor<1x4x6x6x!quant.uniform<i8:
// NAME: qnn.gemm
// NAME-NEXT: quant.qcast {{.*}} to tensor<1x3x!quant.uniform<i8:

/// A max pool chosen alone: int8 input, int16 output; flatten inherits it.
// POOL: qnn.relu
// POOL-NEXT: quant.qcast {{.*}} to tensor<1x4x6x6x!quant.uniform<i8:
// POOL: qnn.max_pool
// POOL-NEXT: quant.qcast {{.*}} to tensor<1x4x2x2x!quant.uniform<i16<-32767:32767>
// POOL: qnn.flatten
// POOL-NEXT: quant.qcast {{.*}} to tensor<1x16x!quant.uniform<i16<-32767:32767>

// NONE-NOT: i16

/// Mixed precision never keeps an int16 layer in float: only fc is a
/// candidate.
// MIXED: mixed precision: 1 layer(s) kept in float (fc): {{.*}}target not reached

// DEEP: %[[H:.+]] = qnn.gemm
// DEEP-NEXT: %[[Q16:.+]] = quant.qcast %[[H]] : tensor<1x600xf32> to tensor<1x600x!quant.uniform<i16<-32767:32767>:f32,
// DEEP-NEXT: %[[D16:.+]] = quant.dcast %[[Q16]]
// DEEP-NEXT: %[[Q8:.+]] = quant.qcast %[[D16]] : tensor<1x600xf32> to tensor<1x600x!quant.uniform<i8:f32,
// DEEP-NEXT: %[[D8:.+]] = quant.dcast %[[Q8]]
// DEEP: qnn.gemm %[[D8]],

//--- deep.mlir
func.func @deep(%x: tensor<1x600xf32>) -> tensor<1x4xf32> {
  %w1 = arith.constant dense<0.01> : tensor<600x600xf32>
  %w2 = arith.constant dense<0.5> : tensor<4x600xf32>
  %h = qnn.gemm %x, %w1 {transB = true} : (tensor<1x600xf32>, tensor<600x600xf32>) -> tensor<1x600xf32> loc("fc1")
  %y = qnn.gemm %h, %w2 {transB = true} : (tensor<1x600xf32>, tensor<4x600xf32>) -> tensor<1x4xf32> loc("fc2")
  return %y : tensor<1x4xf32>
}

//--- unknown-layer.mlir
/// Add has no int16 form: naming it is an error listing the valid layers.
// expected-error @+1 {{int16-layers: no Conv, Gemm, MatMul, MaxPool, Flatten, Reshape, Transpose, Relu or Clip layer is named or typed 'add1'; valid: relu1, Relu}}
func.func @unknown(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32> {
  %a = qnn.add %x, %x : (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32> loc("add1")
  %r = qnn.relu %a : tensor<1x2x6x6xf32> loc("relu1")
  return %r : tensor<1x2x6x6xf32>
}

//--- both.mlir
// expected-error @+1 {{layer 'conv1' is chosen by both keep-float and int16-layers}}
func.func @both(%x: tensor<1x2x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w = arith.constant dense<0.5> : tensor<1x2x1x1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x6x6xf32> loc("conv1")
  return %c : tensor<1x1x6x6xf32>
}
