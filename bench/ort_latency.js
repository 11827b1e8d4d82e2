#!/usr/bin/env node
/**
 * Batch-1, single-thread latency of an ONNX model in ONNX Runtime.
 *
 *   node bench/ort_latency.js MODEL.onnx INPUT.f32 RUNS WARMUP
 *
 * INPUT.f32 holds one input (little-endian float32, the model's input size
 * with batch 1). Prints one JSON object: per-run latencies in microseconds
 * (after WARMUP unmeasured runs), median and p90.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '..', 'ort', 'node_modules', 'onnxruntime-node'));

async function main() {
  const [modelPath, inputPath, runsArg, warmupArg] = process.argv.slice(2);
  if (!modelPath || !inputPath) {
    console.error('usage: node ort_latency.js MODEL.onnx INPUT.f32 RUNS WARMUP');
    process.exit(2);
  }
  const runs = parseInt(runsArg || '1000', 10);
  const warmup = parseInt(warmupArg || '100', 10);
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { x64quantprecision: '1' } },
  });
  const buf = fs.readFileSync(inputPath);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const meta = session.inputNames[0];
  // The model's input shape with the batch bound to 1.
  const dims = [1, data.length];
  const shape = process.env.QO_INPUT_SHAPE
    ? process.env.QO_INPUT_SHAPE.split(',').map(Number) : dims;
  const feeds = { [meta]: new ort.Tensor('float32', data, shape) };
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(JSON.stringify({ median_us: q(0.5), p90_us: q(0.9), runs }));
}

main().catch((e) => { console.error(`ort_latency: ${e.message}`); process.exit(1); });
