/**
 * Exact discrete optimal transport (the transportation problem)
 *   min sum_ij C_ij T_ij  s.t.  sum_j T_ij = a_i, sum_i T_ij = b_j, T >= 0
 * by successive shortest paths (primal-dual min-cost flow) in float64:
 * Dijkstra on the residual graph with reduced costs (dense, O((n + m)^2) per
 * augmentation), potentials updated by the distances capped at the target's.
 * Every augmentation exhausts a source, a sink or a reverse edge. At the end
 * the potentials are optimal duals: u_i + v_j <= C_ij for all i, j with
 * equality where T_ij > 0, so sum a u + sum b v equals the cost.
 */
export interface TransportSolution {
  cost: number;
  /** Non-zero entries of the optimal plan. */
  plan: Array<{ from: number; to: number; mass: number }>;
  u: Float64Array;
  v: Float64Array;
}

export function transport(a: Float64Array, b: Float64Array, cost: Float64Array[]): TransportSolution {
  const n = a.length;
  const m = b.length;
  const INF = Number.POSITIVE_INFINITY;
  let totalA = 0;
  let totalB = 0;
  for (const x of a) totalA += x;
  for (const x of b) totalB += x;
  // Masses below eps count as exhausted (round-off of the normalised weights).
  const eps = 1e-13 * Math.max(totalA, totalB);
  const supply = Float64Array.from(a);
  const demand = Float64Array.from(b).map((x) => (x * totalA) / totalB); // equal totals exactly up to round-off
  const flow = Array.from({ length: n }, () => new Float64Array(m));
  // Potentials: pi[i] for sources, pi[n + j] for sinks; reduced cost of i -> j is C_ij + pi_i - pi_{n+j} >= 0.
  const pi = new Float64Array(n + m);
  for (let j = 0; j < m; j++) {
    let lo = INF;
    for (let i = 0; i < n; i++) lo = Math.min(lo, (cost[i] as Float64Array)[j] as number);
    pi[n + j] = lo;
  }
  // Super sink t with an edge of cost 0 from every sink that still has demand; its potential keeps those
  // edges' reduced costs pi_{n+j} - piT non-negative. Active sources all sit at distance 0 from the super
  // source, and their potentials never change (their distance is 0), so that edge needs no bookkeeping.
  let piT = Number.POSITIVE_INFINITY;
  for (let j = 0; j < m; j++) piT = Math.min(piT, pi[n + j] as number);
  const dist = new Float64Array(n + m);
  const prev = new Int32Array(n + m);
  const done = new Uint8Array(n + m);
  let remaining = totalA;
  let guard = 0;
  const maxAugmentations = 50 * (n + m) * (n + m) + 1000;
  while (remaining > eps) {
    if (++guard > maxAugmentations) throw new Error('transport: no convergence (degenerate input?)');
    dist.fill(INF);
    prev.fill(-1);
    done.fill(0);
    for (let i = 0; i < n; i++) if ((supply[i] as number) > eps) dist[i] = 0;
    for (;;) {
      // Dense Dijkstra over the residual graph: pick the closest unfinished node.
      let k = -1;
      let best = INF;
      for (let t = 0; t < n + m; t++) {
        if (!done[t] && (dist[t] as number) < best) {
          best = dist[t] as number;
          k = t;
        }
      }
      if (k < 0) break;
      done[k] = 1;
      if (k < n) {
        const row = cost[k] as Float64Array;
        for (let j = 0; j < m; j++) {
          const t = n + j;
          if (done[t]) continue;
          const nd = best + (row[j] as number) + (pi[k] as number) - (pi[t] as number);
          if (nd < (dist[t] as number)) {
            dist[t] = nd;
            prev[t] = k;
          }
        }
      } else {
        const j = k - n;
        for (let i = 0; i < n; i++) {
          if (done[i] || ((flow[i] as Float64Array)[j] as number) <= 0) continue;
          const nd = best - ((cost[i] as Float64Array)[j] as number) + (pi[k] as number) - (pi[i] as number);
          if (nd < (dist[i] as number)) {
            dist[i] = nd;
            prev[i] = k;
          }
        }
      }
    }
    // Distance to the super sink, through the best sink that still has demand.
    let target = -1;
    let D = INF;
    for (let j = 0; j < m; j++) {
      if ((demand[j] as number) <= eps) continue;
      const dt = (dist[n + j] as number) + (pi[n + j] as number) - piT;
      if (dt < D) {
        D = dt;
        target = n + j;
      }
    }
    if (target < 0 || !Number.isFinite(D)) throw new Error('transport: no augmenting path (supplies and demands do not balance)');
    for (let t = 0; t < n + m; t++) pi[t] = (pi[t] as number) + Math.min(dist[t] as number, D);
    piT += D;
    // Bottleneck along the path.
    let delta = demand[target - n] as number;
    let node = target;
    while ((prev[node] as number) >= 0) {
      const from = prev[node] as number;
      if (from >= n) delta = Math.min(delta, (flow[node] as Float64Array)[from - n] as number); // reverse edge sink -> source
      node = from;
    }
    delta = Math.min(delta, supply[node] as number);
    demand[target - n] = (demand[target - n] as number) - delta;
    supply[node] = (supply[node] as number) - delta;
    remaining -= delta;
    node = target;
    while ((prev[node] as number) >= 0) {
      const from = prev[node] as number;
      if (from < n) (flow[from] as Float64Array)[node - n] = ((flow[from] as Float64Array)[node - n] as number) + delta;
      else (flow[node] as Float64Array)[from - n] = ((flow[node] as Float64Array)[from - n] as number) - delta;
      node = from;
    }
  }
  const plan: TransportSolution['plan'] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const f = (flow[i] as Float64Array)[j] as number;
      if (f > 0) {
        plan.push({ from: i, to: j, mass: f });
        total += f * ((cost[i] as Float64Array)[j] as number);
      }
    }
  }
  const u = Float64Array.from({ length: n }, (_, i) => -(pi[i] as number));
  const v = Float64Array.from({ length: m }, (_, j) => pi[n + j] as number);
  return { cost: total, plan, u, v };
}
