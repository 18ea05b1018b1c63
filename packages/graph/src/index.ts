// @nnphys/graph: graph neural networks and Deep Sets on TensorFlow.js.
export type { Graph, GraphBatch, Aggregation } from './graph.js';
export { aggregations } from './graph.js';
export { batchGraphs, unbatch, paddingBudget, disposeBatch, type PadBudget, type BatchGraphsOptions } from './batching.js';
export { assertGraphBatch } from './validate_batch.js';
export { aggregate } from './aggregate.js';
export { completeGraph } from './complete_graph.js';

export { messagePassing, MessagePassing, type MessagePassingFunctions, type MessagePassingOptions, type MessageInput } from './layers/message_passing.js';
export { GCNConv, type GCNConvOptions } from './layers/gcn_conv.js';
export { GINConv, type GINConvOptions } from './layers/gin_conv.js';
export { GATConv, type GATConvOptions, type GraphAttention } from './layers/gat_conv.js';
export { MPNNConv, type MPNNConvOptions } from './layers/mpnn_conv.js';
export { EdgeConv, type EdgeConvOptions } from './layers/edge_conv.js';
export { LayerNorm } from '@nnphys/core';
export type { NodeOutputOptions } from './layers/output_stage.js';

export { globalPool } from './readout/global_pool.js';
export { AttentionPool, type AttentionPoolOptions } from './readout/attention_pool.js';

export { DeepSets, type DeepSetsOptions } from './sets/deep_sets.js';
export { DeepSetsEquivariant, type DeepSetsEquivariantOptions } from './sets/deep_sets_equivariant.js';
export { EquivariantLinear, type EquivariantLinearOptions } from './sets/equivariant_linear.js';

export { GraphEncoder, convKinds, type GraphEncoderOptions, type ConvKind, type Readout } from './models/graph_encoder.js';
export { GraphRegressor, type GraphRegressorOptions } from './models/graph_regressor.js';
export { GraphClassifier, type GraphClassifierOptions } from './models/graph_classifier.js';
export { AtomSumNetwork, subnetworkVariants, type AtomSumNetworkOptions, type SubnetworkVariant } from './models/atom_sum_network.js';
export { leastSquares, atomDesignMatrix, atomValuesLeastSquares, type LeastSquaresResult } from './models/least_squares.js';
