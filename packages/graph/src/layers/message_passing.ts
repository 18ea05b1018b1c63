import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertOneOf, gatherRows } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';

/** The per-edge message ψ and per-node update φ of 000 eq. 5.9, as plain functions (jraph style). */
export interface MessagePassingFunctions {
  /** ψ(h_u, h_v, e_uv): sender rows, receiver rows and edge rows ([E, ·] each; edges null when the batch has none) -> messages [E, M]. */
  message: (senders: tf.Tensor2D, receivers: tf.Tensor2D, edges: tf.Tensor2D | null) => tf.Tensor2D;
  /** φ(h_v, m_v): node states [N, F] and aggregated messages [N, M] -> new node states [N, F']. */
  update: (nodes: tf.Tensor2D, aggregated: tf.Tensor2D) => tf.Tensor2D;
  /** ⊕ over the incoming edges of each node (default 'sum', as in 000 eq. 5.9). */
  aggregate?: Aggregation;
}

/**
 * One round of message passing, 000 eq. 5.9:
 *   h_v' = φ(h_v, ⊕_{u ∈ N(v)} ψ(h_u, h_v, e_uv)),  N(v) = { u : u -> v }.
 * Messages are computed per edge and aggregated at the edge's receiver;
 * a node without incoming edges aggregates to 0. Returns the batch with new
 * node features (the other tensors are shared with the input).
 */
export function messagePassing(batch: GraphBatch, fns: MessagePassingFunctions): GraphBatch {
  assertGraphBatch(batch, 'messagePassing: batch');
  if (typeof fns?.message !== 'function' || typeof fns?.update !== 'function') {
    throw new NnphysError('messagePassing: expected { message: (senders, receivers, edges) => messages, update: (nodes, aggregated) => nodes }');
  }
  const mode = fns.aggregate ?? 'sum';
  assertOneOf(mode, 'messagePassing: aggregate', aggregations);
  const numNodes = batch.nodes.shape[0];
  const nodes = tf.tidy(() => {
    const hs = gatherRows(batch.nodes, batch.senders);
    const hr = gatherRows(batch.nodes, batch.receivers);
    const messages = fns.message(hs, hr, batch.edges ?? null);
    if (!(messages instanceof tf.Tensor) || messages.rank !== 2 || messages.shape[0] !== batch.senders.shape[0]) {
      throw new NnphysError(`messagePassing: message must return one row per edge, [${batch.senders.shape[0]}, M], got ${messages instanceof tf.Tensor ? `shape [${messages.shape.join(', ')}]` : typeof messages}`);
    }
    const aggregated = aggregate(messages, batch.receivers, numNodes, mode);
    const out = fns.update(batch.nodes, aggregated);
    if (!(out instanceof tf.Tensor) || out.rank !== 2 || out.shape[0] !== numNodes) {
      throw new NnphysError(`messagePassing: update must return one row per node, [${numNodes}, F'], got ${out instanceof tf.Tensor ? `shape [${out.shape.join(', ')}]` : typeof out}`);
    }
    return out;
  });
  return { ...batch, nodes };
}

export type MessageInput = 'sender' | 'receiver' | 'edge';

export interface MessagePassingOptions {
  /** ψ, applied to the concatenation of `messageInputs` rows, [E, ·] -> [E, M]. */
  message: Module;
  /** φ, applied to [h_v ‖ m_v], [N, F + M] -> [N, F']. */
  update: Module;
  /** Default 'sum' (000 eq. 5.9). */
  aggregate?: Aggregation;
  /**
   * What ψ sees, concatenated in this order (default: sender, receiver, and
   * edge when the batch has edge features).
   */
  messageInputs?: MessageInput[];
}

/**
 * Generic message passing with module-valued ψ and φ (000 eq. 5.9), e.g.
 * `new MessagePassing({ message: new MLP({ inputs: 2 * F + D, hidden: [64], outputs: 64 }),
 *   update: new MLP({ inputs: F + 64, hidden: [64], outputs: 64 }) })`.
 */
export class MessagePassing extends Module {
  readonly message: Module;
  readonly update: Module;
  readonly aggregation: Aggregation;
  readonly messageInputs: MessageInput[] | null;

  constructor(options: MessagePassingOptions) {
    super();
    if (!(options?.message instanceof Module)) throw new NnphysError('MessagePassing: message must be a Module (e.g. an MLP) mapping [E, ·] to messages');
    if (!(options.update instanceof Module)) throw new NnphysError('MessagePassing: update must be a Module (e.g. an MLP) mapping [N, F + M] to new node states');
    this.aggregation = options.aggregate ?? 'sum';
    assertOneOf(this.aggregation, 'MessagePassing: aggregate', aggregations);
    if (options.messageInputs !== undefined) {
      if (!Array.isArray(options.messageInputs) || options.messageInputs.length === 0) {
        throw new NnphysError('MessagePassing: messageInputs must be a non-empty array of "sender", "receiver", "edge"');
      }
      for (const [i, m] of options.messageInputs.entries()) assertOneOf(m, `MessagePassing: messageInputs[${i}]`, ['sender', 'receiver', 'edge']);
    }
    this.messageInputs = options.messageInputs ?? null;
    this.message = this.addModule('message', options.message);
    this.update = this.addModule('update', options.update);
  }

  apply(batch: GraphBatch): GraphBatch {
    assertGraphBatch(batch, 'MessagePassing.apply: batch');
    const inputs = this.messageInputs ?? (batch.edges ? ['sender', 'receiver', 'edge'] : ['sender', 'receiver']);
    if (inputs.includes('edge') && !batch.edges) throw new NnphysError('MessagePassing.apply: messageInputs includes "edge" but batch.edges is undefined');
    return messagePassing(batch, {
      aggregate: this.aggregation,
      message: (hs, hr, e) => {
        const parts = inputs.map((m) => (m === 'sender' ? hs : m === 'receiver' ? hr : (e as tf.Tensor2D)));
        return this.message.apply(parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor2D;
      },
      update: (h, m) => this.update.apply(tf.concat([h, m], 1)) as tf.Tensor2D,
    });
  }
}
