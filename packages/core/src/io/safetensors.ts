import { NnphysError } from '../errors.js';

/**
 * The safetensors format (https://github.com/huggingface/safetensors):
 * 8-byte little-endian header length N, N bytes of JSON
 * { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {string: string} },
 * then the raw little-endian tensor bytes. The header is padded with spaces to
 * a multiple of 8 bytes, as the reference writer does. The reader enforces the
 * reference reader's rules (contiguous, non-overlapping offsets covering the
 * whole buffer, byte counts matching shapes).
 */
export type SafetensorsDtype = 'F32' | 'I32' | 'BOOL' | 'F64' | 'I64' | 'F16' | 'BF16' | 'I8' | 'U8' | 'I16' | 'U16' | 'U32' | 'U64';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, I64: 8, U64: 8, F32: 4, I32: 4, U32: 4, F16: 2, BF16: 2, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1 };

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Little-endian bytes of the tensor. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

const MAX_HEADER = 100_000_000;

export function encodeSafetensors(tensors: Map<string, SafetensorsEntry>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name) as SafetensorsEntry;
    const expected = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];
    if (t.data.byteLength !== expected) {
      throw new NnphysError(`encodeSafetensors: tensor ${JSON.stringify(name)} has ${t.data.byteLength} bytes but shape [${t.shape}] of ${t.dtype} needs ${expected}`);
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  const pad = (8 - (headerBytes.byteLength % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const name of names) {
    const t = tensors.get(name) as SafetensorsEntry;
    out.set(t.data, pos);
    pos += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, source = 'buffer'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new NnphysError(`not a valid safetensors file (${source}): ${why}`);
  };
  if (bytes.byteLength < 8) fail(`only ${bytes.byteLength} bytes`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} exceeds ${MAX_HEADER}`);
  if (8 + n > bytes.byteLength) fail(`header length ${n} runs past the end of the ${bytes.byteLength}-byte file (truncated?)`);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith('{')) fail('header does not start with "{"');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not JSON: ${(e as Error).message}`);
  }
  const metadata: Record<string, string> = {};
  const entries: Array<[string, SafetensorsDtype, number[], number, number]> = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const { dtype, shape, data_offsets } = info as { dtype: SafetensorsDtype; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) fail(`tensor ${JSON.stringify(name)} has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${JSON.stringify(name)} has an invalid shape`);
    if (!Array.isArray(data_offsets) || data_offsets.length !== 2) fail(`tensor ${JSON.stringify(name)} has invalid data_offsets`);
    const [begin, end] = data_offsets;
    const expected = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
    if (end - begin !== expected) fail(`tensor ${JSON.stringify(name)} spans ${end - begin} bytes but its shape [${shape}] of ${dtype} needs ${expected}`);
    entries.push([name, dtype, shape, begin, end]);
  }
  entries.sort((a, b) => a[3] - b[3] || a[4] - b[4]);
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  let cursor = 0;
  const tensors = new Map<string, SafetensorsEntry>();
  for (const [name, dtype, shape, begin, end] of entries) {
    if (begin !== cursor) fail(`tensor ${JSON.stringify(name)} starts at byte ${begin}, expected ${cursor} (offsets must be contiguous)`);
    cursor = end;
    tensors.set(name, { dtype, shape, data: bytes.subarray(dataStart + begin, dataStart + end) });
  }
  if (cursor !== dataLength) fail(`tensors cover ${cursor} bytes but the data section has ${dataLength} (truncated or padded file)`);
  return { tensors, metadata };
}
