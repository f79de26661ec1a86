/**
 * Stand-in for `exhunt parse FILE.evtx --format jsonl --output OUT` until the CLI command is
 * wired: streams `readEvtxJsonl` (or, with --objects, `readEvtx` + `toParseJson` on this
 * thread) to OUT and prints records, seconds and records/s to stderr.
 *
 *   node --import tsx bench/evtx/parse-to-jsonl.ts FILE OUT [--workers N] [--objects] [--dist]
 *
 * --dist loads the compiled parser from dist/ (run `npx tsc -p tsconfig.build.json` first).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import type * as EvtxApi from '../../src/parsers/evtx/index.js';

type Api = typeof EvtxApi;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [file, out] = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file || !out) throw new Error('usage: parse-to-jsonl.ts FILE OUT [--workers N] [--objects] [--dist]');
  const wi = args.indexOf('--workers');
  const workers = wi >= 0 ? Number(args[wi + 1]) : 2;
  const api = (await import(args.includes('--dist') ? '../../dist/parsers/evtx/index.js' : '../../src/parsers/evtx/index.js')) as Api;
  const t0 = process.hrtime.bigint();
  const sink = createWriteStream(out);
  let issues = 0;
  let lines = 0;
  const onIssue = (i: { message: string }): void => {
    issues++;
    if (issues <= 5) console.error(`issue: ${i.message}`);
  };
  const write = async (s: string | Uint8Array): Promise<void> => {
    if (!sink.write(s)) await once(sink, 'drain');
  };
  if (args.includes('--objects')) {
    let block = '';
    for await (const r of api.readEvtx(file, file, { workers, onIssue })) {
      block += `${JSON.stringify(api.toParseJson(r))}\n`;
      lines++;
      if (block.length > 1 << 20) {
        await write(block);
        block = '';
      }
    }
    await write(block);
  } else {
    const onRecords = (n: number): void => {
      lines += n;
    };
    for await (const block of api.readEvtxJsonlBuffers(file, file, { workers, onIssue, onRecords })) await write(block);
  }
  sink.end();
  await once(sink, 'finish');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`parse-to-jsonl: ${lines} records in ${secs.toFixed(2)} s = ${Math.round(lines / secs)} records/s; ${issues} issues`);
}

await main();
