// Adam in small chunks of steps, yielding to the browser between chunks so the page stays responsive.
import * as tf from '@tensorflow/tfjs-core';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * loss(y, prediction) is a scalar loss; data() gives {x, y} tensors from the current points (read at every chunk, so points dragged while training count);
 * onChunk(step, losses) runs after every chunk; training ends after `steps` or as soon as stopped() is true.
 */
export async function trainInChunks({ model, loss, steps, learningRate, chunk = 25, data, onChunk, stopped }) {
  const optimizer = tf.train.adam(learningRate);
  const losses = [];
  try {
    let step = 0;
    while (step < steps && !stopped()) {
      const { x, y } = data();
      for (let k = 0; k < chunk && step < steps; k++, step++) {
        const cost = optimizer.minimize(() => loss(y, model.apply(x)), true, model.trainableVariables());
        losses.push(cost.dataSync()[0]);
        cost.dispose();
      }
      tf.dispose([x, y]);
      await onChunk(step, losses);
      await nextFrame();
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
