// The showcase sections, in report order.
import lipschitzMode from './lipschitz-mode.mjs';
import messagePassing from './message-passing.mjs';
import ntk from './ntk.mjs';

export const sections = [lipschitzMode, ntk, messagePassing];
