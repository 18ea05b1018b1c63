// The same message passing at a size where the stock cpu kernel finishes, so the ratio to stock is measured.
import { messagePassingWorkload } from './core.message-passing.mjs';

const sizes = { full: { nodes: 500, edges: 4000, features: 32 }, smoke: { nodes: 50, edges: 500, features: 8 } };

export default messagePassingWorkload({
  id: 'core.message-passing-small',
  title: 'Message passing fwd+bwd, 4k edges x 32, 500 nodes',
  size: (scale) => sizes[scale],
  stockLimit: 1e9,
});
