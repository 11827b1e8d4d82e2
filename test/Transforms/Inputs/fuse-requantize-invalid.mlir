// Input of fuse-requantize.mlir's -verify-diagnostics run (an invalid
// pass option is reported on every function).

// expected-error@+1 {{quantopt-fuse-requantize: leading-dims must be at least 0, got -1}}
func.func @bad_leading_dims(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
