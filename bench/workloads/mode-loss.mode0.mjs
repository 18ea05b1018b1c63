// MoDe[0] loss + gradient at batch 2^16 (smoke 2^10) vs PyTorch; see mode-loss.loss-vs-batch.mjs.
import { lossWorkload } from './mode-loss.loss-vs-batch.mjs';

export default lossWorkload({ method: 'mode0', batch: { full: 2 ** 16, smoke: 2 ** 10 } });
