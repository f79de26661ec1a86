/** Progress on stderr, only when stderr is a terminal: one line, rewritten, throttled. */
import { stripControl } from '../report/escape.js';

export interface Progress {
  /** Sets the current phase and item (an evidence path); cheap to call per file. */
  update(phase: string, item?: string): void;
  /** Counts one more unit of work in the current phase. */
  tick(n?: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, tick() {}, done() {} };

export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  let phase = '';
  let item = '';
  let count = 0;
  let last = 0;
  let shown = false;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = Math.max(20, (stream.columns || 80) - 1);
    const text = stripControl(`${phase} ${count > 0 ? `[${count}] ` : ''}${item}`);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(`\r\x1b[2K${line}`);
    shown = true;
  };
  return {
    update(p, i = '') {
      if (p !== phase) count = 0;
      phase = p;
      item = i;
      draw(false);
    },
    tick(n = 1) {
      count += n;
      draw(false);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
