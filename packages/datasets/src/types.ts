/**
 * Plain-data shapes shared with the other nnphys packages. @nnphys/graph mirrors
 * `Graph` structurally, so these interfaces are kept exactly as API.md writes them.
 */

/** A graph as plain arrays: node features, directed edges (senders -> receivers), optional edge features and target. */
export interface Graph {
  nodes: number[][];
  senders: number[];
  receivers: number[];
  edges?: number[][];
  target?: number[];
}

/** A molecular graph with the SMILES it came from. */
export interface Molecule extends Graph {
  smiles: string;
}

/** A list of molecules with the names and units of the entries of each `target`. */
export interface MoleculeSet {
  molecules: Molecule[];
  targetNames: string[];
  units: Record<string, string>;
}

/** A weighted point set (an "event" for the energy mover's distance of 004 ch. 4). */
export interface WeightedPoints {
  points: number[][];
  weights: number[];
}
