/**
 * Findings list by cursor and the rule-table text search, on SQLite and PostgreSQL: pages by
 * `after` join up to the whole list (with and without filters), the offset cap, and a search
 * that gives exactly what "title or rule id contains the text" gives over all findings.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../findings/types.js';
import type { Actor, FindingQuery, StoredFinding } from './types.js';
import type { KyselyFleetStore } from './fleet-store.js';
import { sql } from 'kysely';
import { containsPattern } from './context.js';
import { decodeCursor, encodeCursor, MAX_FINDINGS_OFFSET } from './finding-cursor.js';
import { syntheticHost, syntheticReport } from './seed.js';
import { pgTestUrl, PG_SKIP_MESSAGE, type TestBackend } from './test-db.js';
import { ingestAs, useTestStore } from './testing/store-fixture.js';

const AGENT: Actor = { kind: 'agent', id: 'a1', name: 'agent-1' };

/** Every page of `q` by cursor, `limit` at a time. */
async function walk(store: KyselyFleetStore, q: Omit<FindingQuery, 'limit' | 'offset'>, limit: number): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let page = await store.listFindings({ ...q, limit, offset: 0 });
  out.push(...page.items);
  while (page.next !== null) {
    page = await store.listFindings({ ...q, after: decodeCursor(encodeCursor(page.next)) ?? undefined, limit, offset: 0 });
    assert.ok(page.items.length > 0, 'a cursor is only given when a row follows');
    out.push(...page.items);
  }
  return out;
}

function suite(backend: TestBackend): void {
  const skip = backend === 'postgres' && pgTestUrl() === null ? PG_SKIP_MESSAGE : false;
  describe(`findings paging and search (${backend})`, { skip }, () => {
    let store: KyselyFleetStore;
    const ingest = (name: string, report: Report): Promise<unknown> => ingestAs(store, name, report, AGENT);
    useTestStore(backend, () => new Date(), (s) => (store = s));
    before(async () => {
      for (let i = 0; i < 12; i++) await ingest(syntheticHost(i), syntheticReport(i, { findings: 8 + (i % 3), round: i % 4 }));
      const odd = syntheticReport(40, { findings: 2 });
      const [a, b] = odd.findings;
      assert.ok(a && b);
      const c = { ...b, id: `${b.id}-x`, ruleId: 'Ünïcode.Rule', title: 'ÄRGER mit Straße' };
      await ingest(syntheticHost(40), { ...odd, findings: [{ ...a, ruleId: 'odd.rule', title: 'Looks like 100% sure_thing' }, { ...b, ruleId: 'odd.rule', title: 'Another title' }, c] });
    });

    it('pages by cursor join up to the whole list, in order, with and without filters', async () => {
      for (const q of [{}, { status: 'new' as const }, { minSeverity: 'high' as const }, { category: 'webshell' }, { search: 'on server 1' }]) {
        const all = await store.listFindings({ ...q, limit: 1000, offset: 0 });
        assert.equal(all.next, null);
        const walked = await walk(store, q, 7);
        assert.deepEqual(walked.map((f) => f.id), all.items.map((f) => f.id), JSON.stringify(q));
        assert.equal(walked.length, all.total, JSON.stringify(q));
      }
    });

    it('caps the offset (deeper pages go by cursor)', async () => {
      await assert.rejects(store.listFindings({ limit: 10, offset: MAX_FINDINGS_OFFSET + 1 }), /cursor/);
      assert.equal((await store.listFindings({ limit: 10, offset: MAX_FINDINGS_OFFSET })).items.length, 0);
    });

    it('searches titles and rule ids exactly as a scan of all findings would', async () => {
      const all = (await store.listFindings({ limit: 1000, offset: 0 })).items;
      // The predicate the store used before the rules table: a scan of every finding.
      const like = sql.raw(backend === 'postgres' ? 'ilike' : 'like');
      const scanned = async (text: string): Promise<Set<string>> => {
        const p = containsPattern(text);
        const rows = await store.db.selectFrom('findings').select('id').where(sql<boolean>`(title ${like} ${p} escape '\\' or rule_id ${like} ${p} escape '\\')`).execute();
        return new Set(rows.map((r) => r.id));
      };
      const expected = new Map<string, string[]>();
      const texts = ['on server 1', 'SYNTHETIC.RULE-3', 'rule-3', 'odd.RULE', 'looks like', '100%', 'sure_thing', 'another', 'finding 3 on server 11',
        '%', '_', '100_', 'sure%thing', 'no such text', 'ärger', 'Ärger', 'straße', 'ünïcode.rule', 'ÜNÏCODE'];
      for (const text of texts) {
        const hits = await scanned(text);
        expected.set(text, all.filter((f) => hits.has(f.id)).map((f) => f.id));
      }
      const expect = (text: string): string[] => expected.get(text) ?? [];
      for (const text of ['on server 1', 'SYNTHETIC.RULE-3', 'rule-3', 'odd.RULE', 'looks like', '100%', 'sure_thing', 'another', 'finding 3 on server 11']) {
        const page = await store.listFindings({ search: text, limit: 1000, offset: 0 });
        assert.deepEqual(page.items.map((f) => f.id), expect(text), text);
        assert.equal(page.total, expect(text).length, text);
        assert.ok(page.total > 0, text);
      }
      for (const text of ['%', '_', '100_', 'sure%thing', 'no such text', 'ärger', 'Ärger', 'straße', 'ünïcode.rule', 'ÜNÏCODE']) {
        assert.equal((await store.listFindings({ search: text, limit: 10, offset: 0 })).total, expect(text).length, text);
      }
      assert.equal((await store.listFindings({ search: 'Another', status: 'confirmed', limit: 10, offset: 0 })).total, 0);
      if (backend === 'postgres') assert.equal(expect('ärger').length, 1, 'PostgreSQL folds non-ASCII case (ILIKE), so must the search');
    });
  });
}

describe('finding cursors', () => {
  it('round-trip and refuse anything malformed', () => {
    const c = { rank: 4, seenAt: '2026-11-20T08:00:00.000Z', id: '0193-abc' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of ['', 'not base64!', 'a'.repeat(601), b64({ rank: 1 }), b64([9, 'x', 'y']), b64([1.5, 'x', 'y']), b64([1, 2, 'y']), b64([1, 'x', '']), b64([1, 'x', 'y', 'z']), 'e30', '_-_-']) {
      assert.equal(decodeCursor(bad), null, bad);
    }
  });
});

suite('sqlite');
suite('postgres');
