/**
 * A password from the person at the terminal (prompt on stderr, nothing echoed) or, when
 * stdin is not a terminal, the first line of stdin (`printf '%s\n' "$PW" | exhunt …`).
 */
import type { Readable } from 'node:stream';

export interface PasswordSource {
  readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly prompt: (text: string) => void;
}

const MAX_PASSWORD = 4096;

/** First line of a non-terminal stream (without CR/LF). */
export async function firstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = text.search(/\r?\n/);
    if (nl >= 0) return text.slice(0, nl);
    if (text.length > MAX_PASSWORD) break;
  }
  return text.slice(0, MAX_PASSWORD).replace(/\r?\n$/, '');
}

function typed(input: PasswordSource['input'], setRaw: (raw: boolean) => unknown, done: (s: string | Error) => void): void {
  let text = '';
  const finish = (r: string | Error): void => {
    input.off('data', onData);
    setRaw(false);
    input.pause();
    done(r);
  };
  const onData = (chunk: Buffer | string): void => {
    for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
      if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(text);
      if (ch === '\u0003') return finish(new Error('password prompt cancelled'));
      if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
      else if (text.length < MAX_PASSWORD) text += ch;
    }
  };
  setRaw(true);
  input.on('data', onData);
  input.resume();
}

/** Reads the password; an empty one is an error. */
export async function readPassword(label: string, src: PasswordSource): Promise<string> {
  let pw: string;
  const setRaw = src.input.setRawMode;
  if (src.input.isTTY === true && setRaw !== undefined) {
    src.prompt(`${label}: `);
    pw = await new Promise<string>((resolve, reject) => {
      typed(src.input, (raw) => setRaw.call(src.input, raw), (r) => (typeof r === 'string' ? resolve(r) : reject(r)));
    });
    src.prompt('\n');
  } else {
    pw = await firstLine(src.input);
  }
  if (pw === '') throw new Error('no password given (type it at the prompt or pipe it on stdin)');
  return pw;
}
