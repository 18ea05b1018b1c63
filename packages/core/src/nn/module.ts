import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';

/**
 * Base of every model and layer. A module owns named variables and child
 * modules; `variables()` lists them all under nested names such as
 * "layers.0.weight". Variables are created in the constructor only, so
 * `apply` never allocates state.
 */
export abstract class Module {
  private readonly ownVariables = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();
  private disposed = false;

  abstract apply(...inputs: unknown[]): unknown;

  /** Registers a variable owned by this module. The initial tensor is taken over (not copied). */
  protected addVariable(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    this.checkName(name);
    const v = tf.variable(initial, trainable);
    initial.dispose();
    this.ownVariables.set(name, v);
    return v;
  }

  /** Registers a child module whose variables appear as "<name>.<child variable>". */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    this.children.set(name, module);
    return module;
  }

  private checkName(name: string): void {
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new NnphysError(`Module: variable and child names must match [A-Za-z0-9_]+, got ${JSON.stringify(name)}`);
    if (this.ownVariables.has(name) || this.children.has(name)) throw new NnphysError(`Module: name ${JSON.stringify(name)} is already used`);
  }

  /** Every variable, trainable or not, by nested name. */
  variables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, v] of this.ownVariables) out.set(name, v);
    for (const [childName, child] of this.children) {
      for (const [name, v] of child.variables()) out.set(`${childName}.${name}`, v);
    }
    return out;
  }

  /** The trainable variables, in the order of `variables()`. */
  trainableVariables(): tf.Variable[] {
    return [...this.variables().values()].filter((v) => v.trainable);
  }

  /** Child modules by name (direct children only). */
  modules(): Map<string, Module> {
    return new Map(this.children);
  }

  /** Number of scalar parameters (trainable and not). */
  parameterCount(): number {
    let n = 0;
    for (const v of this.variables().values()) n += v.size;
    return n;
  }

  /** Frees every variable. The module cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.ownVariables.values()) v.dispose();
    for (const child of this.children.values()) child.dispose();
  }
}
