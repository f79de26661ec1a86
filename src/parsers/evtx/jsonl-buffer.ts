/**
 * Accumulates JSONL lines as UTF-8 in one growing off-heap buffer, so decoded records die
 * young (no long rope strings to promote) and the bytes can be transferred between threads
 * and written out without another conversion.
 */
import type { EventRecord } from '../types.js';
import { terminalSafeJson } from '../../report/escape.js';
import { toParseJson } from './event.js';

export class JsonlBuffer {
  private buf = Buffer.alloc(0);
  private pos = 0;
  count = 0;

  constructor(private readonly initial = 1 << 20) {}

  add(rec: EventRecord): void {
    // As terminal-safe as `scan --format json`: C1 and bidi controls written as \uXXXX escapes.
    const line = terminalSafeJson(JSON.stringify(toParseJson(rec)));
    const need = this.pos + line.length * 3 + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2, this.initial));
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    this.pos += this.buf.write(line, this.pos);
    this.buf[this.pos++] = 0x0a;
    this.count++;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far, as a view of a buffer that is no longer used here. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.alloc(0); // the next add allocates afresh
    this.pos = 0;
    this.count = 0;
    return out;
  }
}
