/**
 * Blockwise assembly of a kernel matrix K[i, j] = <phi(x1_i), phi(x2_j)> from
 * per-row features computed a block of rows at a time, so that memory stays
 * under a budget whatever the number of inputs (neural-tangents' `nt.batch`,
 * whose absence dominates its issue tracker: #100, #30, #166, #182).
 */
export interface FeatureSource<F> {
  /** Number of rows. */
  readonly rows: number;
  /** Bytes of features per row (for the memory budget). */
  readonly bytesPerRow: number;
  /** Features of rows [start, end). */
  features(start: number, end: number): F;
  /** The kernel block between two feature blocks, row-major. */
  kernel(a: F, b: F): ArrayLike<number>;
  dispose(f: F): void;
}

export interface BlockPlan {
  /** Rows per block. */
  blockRows: number;
  /** Whether the column blocks are computed once and kept (they fit in half the budget). */
  cacheColumns: boolean;
  /** Approximate peak bytes held in features. */
  peakBytes: number;
}

export function planBlocks(bytesPerRow: number, rows2: number, budget: number): BlockPlan {
  const blockRows = Math.max(1, Math.floor(budget / (2 * Math.max(1, bytesPerRow))));
  const cacheColumns = rows2 * bytesPerRow <= budget / 2;
  const peakBytes = (cacheColumns ? rows2 * bytesPerRow : Math.min(blockRows, rows2) * bytesPerRow) + blockRows * bytesPerRow;
  return { blockRows, cacheColumns, peakBytes };
}

/** K as row-major float64 [rows1, rows2]; src2 = null means x2 = x1 (symmetric, upper blocks only). */
export function assembleKernel<F>(src1: FeatureSource<F>, src2: FeatureSource<F> | null, budget: number): Float64Array {
  const symmetric = src2 === null;
  const cols = symmetric ? src1 : src2;
  const n1 = src1.rows;
  const n2 = cols.rows;
  const { blockRows, cacheColumns } = planBlocks(src1.bytesPerRow, n2, budget);
  const out = new Float64Array(n1 * n2);
  const starts = (n: number) => {
    const s: number[] = [];
    for (let i = 0; i < n; i += blockRows) s.push(i);
    return s;
  };
  const rowStarts = starts(n1);
  const colStarts = starts(n2);
  const cache = new Map<number, F>();
  const colFeatures = (start: number): { f: F; owned: boolean } => {
    const hit = cache.get(start);
    if (hit !== undefined) return { f: hit, owned: false };
    const f = cols.features(start, Math.min(n2, start + blockRows));
    if (cacheColumns) {
      cache.set(start, f);
      return { f, owned: false };
    }
    return { f, owned: true };
  };
  try {
    for (const r0 of rowStarts) {
      const r1 = Math.min(n1, r0 + blockRows);
      const rowsF = symmetric ? colFeatures(r0) : { f: src1.features(r0, r1), owned: true };
      try {
        for (const c0 of colStarts) {
          if (symmetric && c0 < r0) continue;
          const c1 = Math.min(n2, c0 + blockRows);
          const colsF = symmetric && c0 === r0 ? { f: rowsF.f, owned: false } : colFeatures(c0);
          try {
            const k = src1.kernel(rowsF.f, colsF.f);
            const w = c1 - c0;
            for (let i = r0; i < r1; i++) {
              for (let j = c0; j < c1; j++) {
                const v = k[(i - r0) * w + (j - c0)] as number;
                out[i * n2 + j] = v;
                if (symmetric) out[j * n2 + i] = v;
              }
            }
          } finally {
            if (colsF.owned) cols.dispose(colsF.f);
          }
        }
      } finally {
        if (rowsF.owned) (symmetric ? cols : src1).dispose(rowsF.f);
      }
    }
  } finally {
    for (const f of cache.values()) cols.dispose(f);
  }
  return out;
}
