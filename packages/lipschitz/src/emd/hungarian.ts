/**
 * Minimum-cost perfect assignment of an n x n cost matrix (Kuhn-Munkres with
 * potentials, O(n^3), float64). Returns the column assigned to each row and
 * dual potentials u, v with u_i + v_j <= C_ij, equality on the assignment,
 * so sum(u) + sum(v) equals the optimal cost (a certificate of optimality).
 */
export function hungarian(cost: Float64Array[]): { assignment: Int32Array; u: Float64Array; v: Float64Array; cost: number } {
  const n = cost.length;
  const INF = Number.POSITIVE_INFINITY;
  // 1-based arrays; column 0 is a virtual column used to start each augmentation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const match = new Int32Array(n + 1); // match[j] = row assigned to column j (0 = none)
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    match[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = match[j0] as number;
      const row = cost[i0 - 1] as Float64Array;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = (row[j - 1] as number) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[match[j] as number] = (u[match[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      match[j0] = match[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[(match[j] as number) - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += (cost[i] as Float64Array)[assignment[i] as number] as number;
  return { assignment, u: u.slice(1), v: v.slice(1), cost: total };
}
