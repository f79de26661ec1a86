/**
 * Baseline for the EVTX benchmark: @ts-evtx/core (dev dependency) renders every record's XML
 * (its correct path; its high-level record API returns wrong fields, see issue 6) and writes
 * one JSON string per line to OUT. Note: it loads the whole file into memory.
 *
 *   node --import tsx bench/evtx/ts-evtx-render.ts FILE OUT
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The part of @ts-evtx/core used here (its .d.ts files do not resolve under NodeNext). */
interface TsEvtx {
  EvtxFile: { open(path: string): Promise<{ records(): Iterable<{ renderXml(): string }> }> };
}

async function main(): Promise<void> {
  const [file, out] = process.argv.slice(2);
  if (!file || !out) throw new Error('usage: ts-evtx-render.ts FILE OUT');
  const t0 = process.hrtime.bigint();
  const sink = createWriteStream(out);
  const { EvtxFile } = (await import('@ts-evtx/core')) as unknown as TsEvtx;
  const evtx = await EvtxFile.open(file);
  let n = 0;
  let failed = 0;
  let block = '';
  for (const rec of evtx.records()) {
    try {
      block += `${JSON.stringify(rec.renderXml())}\n`;
      n++;
    } catch {
      failed++;
    }
    if (block.length > 1 << 20) {
      if (!sink.write(block)) await once(sink, 'drain');
      block = '';
    }
  }
  sink.end(block);
  await once(sink, 'finish');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`ts-evtx-render: ${n} records in ${secs.toFixed(2)} s = ${Math.round(n / secs)} records/s; ${failed} failed`);
}

await main();
