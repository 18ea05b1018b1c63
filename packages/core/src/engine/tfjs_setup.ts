/**
 * Engine setup, shared by every nnphys package.
 *
 * `@tensorflow/tfjs-core` alone registers no gradients and no chained ops
 * (`t.reshape`) when loaded by Node; the modules that do so are extension-less
 * ESM that Node cannot import. tsup bundles them into this file
 * (`noExternal`), and they write into tfjs-core's global registries, so the
 * registration is shared with whatever copy of tfjs-core the user has.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';

/** True once the gradient and chained-op registries are filled. */
export function engineReady(): boolean {
  return tf.getGradient('Mean') !== undefined && typeof (tf.Tensor.prototype as unknown as { reshape?: unknown }).reshape === 'function';
}

// The cpu backend prints an "install tfjs-node" banner on first use in Node; nnphys is quiet by default.
{
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
