import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ParseIssue } from '../../parsers/types.js';
import { openEvidenceRoot } from '../../evidence/root.js';
import { mftEvidencePath, readMftCsv, splitCsvLine, type MftOptions } from './mft-csv.js';
import { addMftTimes, findMftCsvs } from './mft-find.js';
import { makeTree } from '../../../test/fixtures/timeline/tree.js';

const SAMPLE = fileURLToPath(new URL('../../../test/fixtures/timeline/mft-sample.csv', import.meta.url));
const WEB = 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa';
const made: string[] = [];
after(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

function opts(errors: ParseIssue[] = [], over: Partial<MftOptions> = {}): MftOptions {
  const from = Date.UTC(2021, 2, 1);
  const to = Date.UTC(2021, 2, 5);
  return {
    drivePrefix: 'C/', dirs: [WEB, 'C/ProgramData'], host: 'EX01', maxRows: 1000,
    keep: (ms) => ms >= from && ms <= to, onError: (e) => errors.push(e), ...over,
  };
}

test('splitCsvLine and mftEvidencePath', () => {
  assert.deepEqual(splitCsvLine('a,"b,""c""",,d'), ['a', 'b,"c"', '', 'd']);
  assert.equal(splitCsvLine('a,"open'), null);
  assert.equal(mftEvidencePath('.\\inetpub\\wwwroot', 'x.aspx', 'C/'), 'C/inetpub/wwwroot/x.aspx');
  assert.equal(mftEvidencePath('.', 'root.txt', ''), 'root.txt');
  assert.equal(mftEvidencePath('\\ProgramData\\', 'a.zip', 'C/'), 'C/ProgramData/a.zip');
});

test('$MFT CSV: $SI and $FN times of files in web and artifact folders, deleted and timestomped said', async () => {
  const errors: ParseIssue[] = [];
  const r = await readMftCsv(SAMPLE, 'FileSystem/mft.csv', opts(errors));
  assert.equal(r.rows, 6);
  assert.equal(r.files, 3, 'x.aspx, the deleted archive and logon.aspx (path matched case-insensitively)');
  const got = r.events.map((e) => `${e.datetime} ${e.timestamp_desc} ${e.path}`).sort();
  assert.deepEqual(got, [
    `2021-03-03T02:16:41.123Z File Created ($FN) ${WEB}/auth/x.aspx`,
    `2021-03-03T02:16:41.123Z File Modified ($FN) ${WEB}/auth/x.aspx`,
    `2021-03-03T02:17:00.000Z Metadata Changed ($SI) ${WEB}/auth/x.aspx`,
    `2021-03-03T02:40:00.500Z File Accessed ($SI) ${WEB}/auth/x.aspx`,
    '2021-03-03T03:01:00.000Z File Created ($SI) C/ProgramData/a,"b".zip',
    '2021-03-03T03:05:00.000Z File Accessed ($SI) C/ProgramData/a,"b".zip',
    '2021-03-03T03:05:00.000Z File Modified ($SI) C/ProgramData/a,"b".zip',
    '2021-03-03T03:05:00.000Z Metadata Changed ($SI) C/ProgramData/a,"b".zip',
  ]);
  assert.equal(r.dropped, 2 + 4, "x.aspx's 2019 $SI times and logon.aspx's four");
  const shell = r.events.find((e) => e.path.endsWith('x.aspx'));
  assert.match(shell?.message ?? '', /timestomped\?/);
  assert.match(r.events.find((e) => e.path.endsWith('.zip'))?.message ?? '', /deleted entry/);
  assert.ok(r.events.every((e) => e.source === 'mft' && e.severity === null));
  assert.deepEqual(errors.map((e) => [e.line, e.message]), [[7, 'unbalanced quotes: row skipped']]);
});

test('$MFT CSV: row limit, and a CSV of another kind is not used', async () => {
  const few = await readMftCsv(SAMPLE, 'mft.csv', opts([], { maxRows: 2 }));
  assert.equal(few.rows, 2);
  assert.match(few.truncated ?? '', /stopped after 2 rows \(limit 2\)/);
  const root = await makeTree();
  made.push(root);
  const other = `${root}/other.csv`;
  await writeFile(other, 'a,b\r\n1,2\r\n');
  const errors: ParseIssue[] = [];
  const r = await readMftCsv(other, 'other.csv', opts(errors));
  assert.equal(r.events.length, 0);
  assert.match(errors[0]?.message ?? '', /not an MFTECmd \$MFT CSV/);
});

test('found in ROOT/FileSystem by its MFTECmd name; merged with the walk', async () => {
  const root = await makeTree();
  made.push(root);
  await mkdir(`${root}/FileSystem`);
  await copyFile(SAMPLE, `${root}/FileSystem/20210305120000_MFTECmd_$MFT_Output.csv`);
  const er = await openEvidenceRoot(root);
  const found = await findMftCsvs(er, []);
  assert.deepEqual(found.map((f) => f.label), ['FileSystem/20210305120000_MFTECmd_$MFT_Output.csv']);
  const base = { events: [], files: 4, dropped: 1, createdUnknown: 0, truncated: null };
  const merged = await addMftTimes(base, found, opts());
  assert.equal(merged.mftEntries, 3);
  assert.equal(merged.events.length, 8);
  assert.equal(merged.dropped, 1 + 6);
  assert.equal(merged.files, 4);
});
