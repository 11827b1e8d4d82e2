// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnn-dynamic-quantize
// RUN: not quant-opt %s --qnn-dynamic-quantize=weight-granularity=per-row 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OPTION

/// A QDQ model is already quantized: dynamic quantization refuses it.
!q = !quant.uniform<i8:f32, 0.5>
func.func @negative_qdq_model(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{dynamic quantization expects a float model; this one is already quantized (QDQ)}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!q>
  %y = quant.dcast %q : tensor<4x!q> to tensor<4xf32>
  return %y : tensor<4xf32>
}

// OPTION: unknown weight granularity 'per-row' (expected per-channel or per-tensor)
