// The showcase sections, in report order (the list, then core's own message passing).
import deepSetsAtomSum from './deep-sets-atom-sum.mjs';
import graphQm9 from './graph-qm9.mjs';
import lipschitzMode from './lipschitz-mode.mjs';
import messagePassing from './message-passing.mjs';
import ntk from './ntk.mjs';
import reversal from './reversal.mjs';

export const sections = [graphQm9, lipschitzMode, ntk, reversal, deepSetsAtomSum, messagePassing];
