import type { Transformer } from '../src/index.js';

/**
 * An independent float64 forward pass of `Transformer`, written from the
 * equations (pre-norm blocks, 000 eq. 3.1; attention 000 eq. 6.4; RoPE with
 * the rotate-half convention), reading the model's weights by name. Plain
 * loops, no tfjs, no shared code with the package.
 */
export function referenceLogits(model: Transformer, tokens: number[], options: { positions?: number[]; visibleKeys?: boolean[] } = {}): number[][] {
  const w = new Map<string, Float64Array>();
  for (const [name, v] of model.variables()) w.set(name, Float64Array.from(v.dataSync()));
  const get = (name: string) => {
    const x = w.get(name);
    if (!x) throw new Error(`missing weight ${name}`);
    return x;
  };
  const T = tokens.length;
  const C = model.dim;
  const H = model.heads;
  const dh = C / H;
  const positions = options.positions ?? tokens.map((_, i) => i);
  const emb = get('tokens.table');
  let x: number[][] = tokens.map((tok, t) => {
    const row = Array.from(emb.subarray(tok * C, (tok + 1) * C));
    if (model.positionEncoding === 'learned') {
      const pos = get('positions.table');
      for (let c = 0; c < C; c++) row[c] = (row[c] as number) + (pos[(positions[t] as number) * C + c] as number);
    }
    return row;
  });
  const linear = (rows: number[][], weight: Float64Array, bias: Float64Array, nIn: number, nOut: number) =>
    rows.map((r) => {
      const out = Array.from(bias);
      for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) out[o] = (out[o] as number) + (r[i] as number) * (weight[i * nOut + o] as number);
      return out;
    });
  const layerNorm = (rows: number[][], prefix: string) => {
    const g = get(`${prefix}.gain`);
    const b = get(`${prefix}.bias`);
    return rows.map((r) => {
      const mean = r.reduce((a, v) => a + v, 0) / r.length;
      const variance = r.reduce((a, v) => a + (v - mean) ** 2, 0) / r.length;
      return r.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * (g[i] as number) + (b[i] as number));
    });
  };
  const rope = (vec: number[], p: number) => {
    if (model.positionEncoding !== 'rotary') return vec;
    const half = dh / 2;
    const out = vec.slice();
    for (let i = 0; i < half; i++) {
      const angle = p * model.rotaryBase ** ((-2 * i) / dh);
      const a = vec[i] as number;
      const b = vec[i + half] as number;
      out[i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
    return out;
  };
  const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
  for (let l = 0; l < model.layerCount; l++) {
    const p = `blocks.${l}`;
    const qkv = linear(layerNorm(x, `${p}.norm1`), get(`${p}.attention.qkv.weight`), get(`${p}.attention.qkv.bias`), C, 3 * C);
    const attended: number[][] = x.map(() => new Array(C).fill(0));
    for (let h = 0; h < H; h++) {
      const q = qkv.map((r, t) => rope(r.slice(h * dh, (h + 1) * dh), positions[t] as number));
      const k = qkv.map((r, t) => rope(r.slice(C + h * dh, C + (h + 1) * dh), positions[t] as number));
      const v = qkv.map((r) => r.slice(2 * C + h * dh, 2 * C + (h + 1) * dh));
      for (let i = 0; i < T; i++) {
        const keys: number[] = [];
        for (let j = 0; j < T; j++) {
          if (model.causal && j > i) continue;
          if (options.visibleKeys && !options.visibleKeys[j] && j !== i) continue;
          keys.push(j);
        }
        const scores = keys.map((j) => (q[i] as number[]).reduce((a, qi, c) => a + qi * ((k[j] as number[])[c] as number), 0) / Math.sqrt(dh));
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        keys.forEach((j, n) => {
          for (let c = 0; c < dh; c++) (attended[i] as number[])[h * dh + c] += ((e[n] as number) / z) * ((v[j] as number[])[c] as number);
        });
      }
    }
    const projected = linear(attended, get(`${p}.attention.out.weight`), get(`${p}.attention.out.bias`), C, C);
    x = x.map((r, t) => r.map((v, c) => v + ((projected[t] as number[])[c] as number)));
    const hidden = linear(layerNorm(x, `${p}.norm2`), get(`${p}.fc1.weight`), get(`${p}.fc1.bias`), C, model.hidden).map((r) => r.map(gelu));
    const m = linear(hidden, get(`${p}.fc2.weight`), get(`${p}.fc2.bias`), model.hidden, C);
    x = x.map((r, t) => r.map((v, c) => v + ((m[t] as number[])[c] as number)));
  }
  return linear(layerNorm(x, 'norm'), get('head.weight'), get('head.bias'), C, model.outputs);
}

/** erf by its Taylor series (|x| < 5, ~1e-9 absolute in float64) and +-1 beyond. */
export function erf(x: number): number {
  if (Math.abs(x) >= 5) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
