// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-fold-qdq))"

/// A per-axis quantization that only a dequantization reads would be folded
/// away later (dcast(qcast(x)) -> x): an error, not a silent no-op.
!qx = !quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>
func.func @negative_per_axis_fake_quant(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error@+1 {{a quantization per axis that is only dequantized again (QuantizeLinear -> DequantizeLinear with no integer op between) is not supported}}
  %q = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!qx>
  %d = quant.dcast %q : tensor<1x2x!qx> to tensor<1x2xf32>
  return %d : tensor<1x2xf32>
}
