/**
 * A reusable barrier for `parties` threads over a SharedArrayBuffer (Atomics). Waits in short slices so an
 * abort flag set by a failing thread releases everyone instead of deadlocking.
 * Layout (Int32Array): [0] arrived, [1] generation, [2] abort.
 */
export class Barrier {
  static readonly INTS = 3;

  constructor(
    private readonly control: Int32Array,
    private readonly parties: number,
  ) {}

  abort(): void {
    Atomics.store(this.control, 2, 1);
    Atomics.add(this.control, 1, 1);
    Atomics.notify(this.control, 1);
  }

  get aborted(): boolean {
    return Atomics.load(this.control, 2) === 1;
  }

  /** Returns false if the barrier was aborted. */
  wait(): boolean {
    if (this.aborted) return false;
    const generation = Atomics.load(this.control, 1);
    if (Atomics.add(this.control, 0, 1) === this.parties - 1) {
      Atomics.store(this.control, 0, 0);
      Atomics.add(this.control, 1, 1);
      Atomics.notify(this.control, 1);
      return !this.aborted;
    }
    while (Atomics.load(this.control, 1) === generation) {
      Atomics.wait(this.control, 1, generation, 50);
      if (this.aborted) return false;
    }
    return !this.aborted;
  }
}
