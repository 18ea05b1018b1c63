// DisCo dCor² loss + gradient (exact O(n log n) sorted algorithm) vs PyTorch's pairwise O(n²) DisCo at 2^11
// events (smoke 2^8), the largest size where the pairwise form is quick; see mode-loss.loss-vs-batch.mjs.
import { lossWorkload } from './mode-loss.loss-vs-batch.mjs';

export default lossWorkload({ method: 'disco', batch: { full: 2 ** 11, smoke: 2 ** 8 } });
