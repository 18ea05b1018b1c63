// The same message passing at a size where the stock cpu kernel finishes, so the ratio to stock is measured.
import { messagePassingWorkload } from './core.message-passing.mjs';

const sizes = { full: { nodes: 1000, edges: 10_000, features: 64 }, smoke: { nodes: 50, edges: 500, features: 8 } };

export default messagePassingWorkload({
  id: 'core.message-passing-small',
  title: 'Message passing fwd+bwd, 10k edges x 64, 1k nodes',
  size: (scale) => sizes[scale],
  stockLimit: 1e9,
});
