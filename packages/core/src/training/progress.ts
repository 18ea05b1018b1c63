/**
 * A one-line progress bar on a terminal. Silent when the stream is not a TTY
 * (CI logs, pipes) or in a browser.
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export class ProgressBar {
  private readonly stream: ProgressStream | null;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly label = '',
    stream?: ProgressStream | null,
  ) {
    const fallback = typeof process !== 'undefined' && process.stderr ? (process.stderr as unknown as ProgressStream) : null;
    const s = stream === undefined ? fallback : stream;
    this.stream = s?.isTTY ? s : null;
  }

  get active(): boolean {
    return this.stream !== null;
  }

  update(done: number, info = '', force = false): void {
    if (!this.stream) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 60));
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${this.label ? `${this.label} ` : ''}${bar} ${done}/${this.total} ${info} ${elapsed.toFixed(0)}s<${eta.toFixed(0)}s`;
    this.stream.write(`\r\x1b[2K${line}`);
  }

  done(info = ''): void {
    if (!this.stream) return;
    this.update(this.total, info, true);
    this.stream.write('\n');
  }
}
