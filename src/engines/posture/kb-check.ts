/** Consistency checks over a KB bundle (beyond the JSON Schema): references, order, duplicates. */
import { compareBuilds, parseBuild } from './build.js';
import type { KbBuild, KbBundle } from './types.js';

function checkProductBuilds(bundle: KbBundle, pid: string, list: readonly KbBuild[], out: string[]): void {
  const updates = new Set(bundle.updates.map((u) => u.id));
  const cves = new Set(bundle.cves.map((c) => c.id));
  const parsed = list.map((b) => ({ b, n: parseBuild(b.build) }));
  for (const { b, n } of parsed) {
    if (n === null || n.revision === null) out.push(`${pid}: malformed build ${b.build}`);
    if (b.update !== undefined && !updates.has(b.update)) out.push(`${pid} ${b.build}: unknown update ${b.update}`);
    if (b.alsoUpdate !== undefined && !updates.has(b.alsoUpdate)) out.push(`${pid} ${b.build}: unknown update ${b.alsoUpdate}`);
    if (!(b.source in bundle.meta.sources)) out.push(`${pid} ${b.build}: unknown source ${b.source}`);
    for (const c of b.fixesOnly ?? []) if (!cves.has(c)) out.push(`${pid} ${b.build}: unknown CVE ${c}`);
  }
  const ok = parsed.filter((x): x is { b: KbBuild; n: NonNullable<typeof x.n> } => x.n !== null);
  ok.sort((x, y) => compareBuilds(x.n, y.n));
  for (let i = 1; i < ok.length; i++) {
    const prev = ok[i - 1];
    const cur = ok[i];
    if (prev === undefined || cur === undefined) continue;
    if (compareBuilds(prev.n, cur.n) === 0) out.push(`${pid}: build ${cur.b.build} listed twice`);
    if (prev.b.cu === cur.b.cu && prev.b.date > cur.b.date) out.push(`${pid}: ${cur.b.build} dated before ${prev.b.build} of the same CU`);
  }
  const releases = ok.filter((x) => x.b.update === undefined);
  for (let i = 1; i < releases.length; i++) {
    const a = releases[i - 1];
    const c = releases[i];
    if (a !== undefined && c !== undefined && a.b.date > c.b.date) out.push(`${pid}: ${c.b.cu} dated before ${a.b.cu}`);
  }
}

/** Problems found (empty when consistent). */
export function checkKb(bundle: KbBundle): string[] {
  const out: string[] = [];
  const cves = new Set<string>();
  for (const c of bundle.cves) {
    if (cves.has(c.id)) out.push(`CVE ${c.id} listed twice`);
    cves.add(c.id);
  }
  const products = new Set(bundle.products.map((p) => p.id));
  const seenUpdates = new Set<string>();
  for (const u of bundle.updates) {
    if (seenUpdates.has(u.id)) out.push(`update ${u.id} listed twice`);
    seenUpdates.add(u.id);
    const all = [...u.cves, ...Object.values(u.productCves ?? {}).flat(), ...Object.values(u.onlyCvesFor ?? {}).flat()];
    for (const c of all) if (!cves.has(c)) out.push(`update ${u.id}: unknown CVE ${c}`);
    for (const p of u.products) if (!products.has(p)) out.push(`update ${u.id}: unknown product ${p}`);
    if (all.length === 0 && u.noCvesReason === undefined) out.push(`update ${u.id} fixes no CVE and gives no reason`);
    if (!(u.source in bundle.meta.sources)) out.push(`update ${u.id}: unknown source ${u.source}`);
  }
  for (const [pid, list] of Object.entries(bundle.builds)) {
    if (!products.has(pid)) out.push(`builds for unknown product ${pid}`);
    checkProductBuilds(bundle, pid, list, out);
  }
  for (const d of bundle.directives ?? []) {
    if (!seenUpdates.has(d.requires.minUpdate)) out.push(`directive ${d.id}: unknown update ${d.requires.minUpdate}`);
  }
  return out;
}
