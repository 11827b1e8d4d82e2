#!/usr/bin/env node
/**
 * Run an ONNX model with ONNX Runtime (onnxruntime-node) over a float32 .npy
 * batch and write the first model output as a float32 .npy file.
 *
 *   node ort/run_model.js MODEL.onnx INPUT.npy OUTPUT.npy [options]
 *
 * INPUT.npy must be little-endian float32 ('<f4'), C order, shape [N, ...]
 * where [...] matches the model input without its batch dimension.
 * OUTPUT.npy is float32 [N, ...] (the model output with batch dim N).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const USAGE = `usage: node run_model.js MODEL.onnx INPUT.npy OUTPUT.npy [options]

Run MODEL.onnx with ONNX Runtime over every sample of INPUT.npy (float32,
shape [N,...]) and write the first output to OUTPUT.npy (float32, [N,...]).

options:
  --threads T      intra-op threads (default: 1)
  --batch B        samples per inference run (default: 1; B > 1 requires a
                   dynamic batch dimension in the model)
  --opt-level L    graph optimisation: disabled|basic|extended|all (default: all)
  --x64-quant-precision 0|1
                   ORT session option session.x64quantprecision (default: 1).
                   With 0, ORT's u8s8 int8 kernels on x86 CPUs without VNNI
                   (e.g. AVX2) may saturate int16 partial sums for weights
                   outside [-64,63] and deviate from the QDQ semantics.
  -h, --help       show this help`;

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { threads: 1, batch: 1, optLevel: 'all', quantPrecision: 1, positional: [] };
  const intOpt = (name, value) => {
    if (value === undefined || !/^[1-9][0-9]*$/.test(value)) {
      const got = value === undefined ? 'nothing' : `'${value}'`;
      throw new UsageError(`${name} expects a positive integer, got ${got}`);
    }
    return parseInt(value, 10);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { opts.help = true; }
    else if (a === '--threads') { opts.threads = intOpt(a, argv[++i]); }
    else if (a === '--batch') { opts.batch = intOpt(a, argv[++i]); }
    else if (a === '--x64-quant-precision') {
      const v = argv[++i];
      if (v !== '0' && v !== '1') throw new UsageError(`--x64-quant-precision expects 0 or 1, got '${v}'`);
      opts.quantPrecision = Number(v);
    }
    else if (a === '--opt-level') {
      opts.optLevel = argv[++i];
      if (!['disabled', 'basic', 'extended', 'all'].includes(opts.optLevel)) {
        throw new UsageError(`--opt-level must be disabled|basic|extended|all, got '${opts.optLevel}'`);
      }
    }
    else if (a.startsWith('-')) { throw new UsageError(`unknown option '${a}'`); }
    else { opts.positional.push(a); }
  }
  if (!opts.help && opts.positional.length !== 3) {
    throw new UsageError('expected MODEL.onnx INPUT.npy OUTPUT.npy');
  }
  return opts;
}

// ---------------------------------------------------------------- .npy I/O

const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** Read a little-endian float32 C-order .npy file: {shape, data: Float32Array}. */
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(NPY_MAGIC)) {
    throw new Error(`${file}: not a .npy file (bad magic)`);
  }
  const major = buf[6];
  let headerLen;
  let offset;
  if (major === 1) { headerLen = buf.readUInt16LE(8); offset = 10; }
  else if (major === 2 || major === 3) { headerLen = buf.readUInt32LE(8); offset = 12; }
  else { throw new Error(`${file}: unsupported .npy version ${major}.${buf[7]}`); }
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new Error(`${file}: malformed .npy header: ${header.trim()}`);
  if (descr[1] !== '<f4') {
    throw new Error(`${file}: dtype '${descr[1]}' is not supported, expected little-endian float32 '<f4'`);
  }
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = offset + headerLen;
  if (buf.length - dataStart !== count * 4) {
    throw new Error(`${file}: expected ${count * 4} data bytes for shape [${dims}], `
      + `found ${buf.length - dataStart}`);
  }
  // Copy into an aligned buffer (the data offset is not necessarily 4-aligned).
  const data = new Float32Array(count);
  Buffer.from(data.buffer).set(buf.subarray(dataStart));
  return { shape: dims, data };
}

/** Write a float32 C-order .npy file (format version 1.0). */
function writeNpy(file, shape, data) {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that magic(6) + version(2) + len(2) + header ends with '\n' on a 64-byte boundary.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  NPY_MAGIC.copy(pre, 0);
  pre[6] = 1; pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// ---------------------------------------------------------------- main

async function run(opts) {
  const [modelPath, inputPath, outputPath] = opts.positional;
  for (const f of [modelPath, inputPath]) {
    if (!fs.existsSync(f)) throw new Error(`file not found: ${f}`);
  }
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node (run 'npm install --ignore-scripts' in ${__dirname}): `
      + e.message);
  }

  const input = readNpy(inputPath);
  if (input.shape.length < 1 || input.shape[0] < 1) {
    throw new Error(`${inputPath}: expected shape [N, ...] with N >= 1, got [${input.shape}]`);
  }
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: opts.optLevel,
    extra: { session: { x64quantprecision: String(opts.quantPrecision) } },
  });
  if (session.inputNames.length !== 1) {
    throw new Error(`${modelPath}: expected exactly one graph input, found ${session.inputNames.length}`);
  }
  const inName = session.inputNames[0];
  const outName = session.outputNames[0];
  const meta = session.inputMetadata && session.inputMetadata[0];

  const [n, ...sampleShape] = input.shape;
  let batch = Math.min(opts.batch, n);
  if (meta && meta.isTensor) {
    if (meta.type !== 'float32') {
      throw new Error(`${modelPath}: input '${inName}' has type ${meta.type}, expected float32`);
    }
    const modelDims = meta.shape;
    const want = modelDims.slice(1);
    const ok = modelDims.length === input.shape.length
      && want.every((d, i) => typeof d !== 'number' || d < 0 || d === sampleShape[i]);
    if (!ok) {
      throw new Error(`${inputPath}: shape [${input.shape}] does not match model input `
        + `'${inName}' [${modelDims}]`);
    }
    if (typeof modelDims[0] === 'number' && modelDims[0] > 0 && modelDims[0] !== batch) {
      if (modelDims[0] !== 1) {
        throw new Error(`${modelPath}: fixed batch size ${modelDims[0]} is not supported`);
      }
      if (batch > 1) console.error(`warning: model batch dim is fixed to 1; ignoring --batch ${opts.batch}`);
      batch = 1;
    }
  }

  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  let output = null;
  let outSampleShape = null;
  let outSampleSize = 0;
  const t0 = process.hrtime.bigint();
  for (let start = 0; start < n; start += batch) {
    const b = Math.min(batch, n - start);
    const slice = input.data.subarray(start * sampleSize, (start + b) * sampleSize);
    const x = new ort.Tensor('float32', slice, [b, ...sampleShape]);
    const result = await session.run({ [inName]: x });
    const y = result[outName];
    if (y.type !== 'float32') throw new Error(`output '${outName}' has type ${y.type}, expected float32`);
    if (output === null) {
      if (y.dims[0] !== b) {
        throw new Error(`output '${outName}' has shape [${y.dims}], expected leading batch dim ${b}`);
      }
      outSampleShape = y.dims.slice(1);
      outSampleSize = outSampleShape.reduce((p, q) => p * q, 1);
      output = new Float32Array(n * outSampleSize);
    }
    if (y.data.length !== b * outSampleSize) {
      throw new Error(`output '${outName}' has shape [${y.dims}], expected [${[b, ...outSampleShape]}]`);
    }
    output.set(y.data, start * outSampleSize);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  writeNpy(outputPath, [n, ...outSampleShape], output);
  console.log(`${path.basename(modelPath)}: ${n} samples, batch ${batch}, ${opts.threads} thread(s), `
    + `${ms.toFixed(0)} ms (${(ms / n).toFixed(3)} ms/sample) -> ${outputPath} [${[n, ...outSampleShape]}]`);
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`error: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) { console.log(USAGE); return; }
  run(opts).catch((e) => {
    console.error(`error: ${e.message}`);
    process.exit(1);
  });
}

if (require.main === module) main();

module.exports = { readNpy, writeNpy };
