// The showcase sections, in report order.
import messagePassing from './message-passing.mjs';

export const sections = [messagePassing];
