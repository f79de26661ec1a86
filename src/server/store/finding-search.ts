/**
 * Text search of findings ("title or rule id contains the text", case-insensitive, `%` and `_`
 * literal) without scanning every finding: the few distinct (rule id, title) pairs are kept in
 * `rules` (fleet-rollups.ts), so the text is matched there and findings are then read by rule id
 * (index findings_rule_order). A rule whose every kept title matches (or whose id does) selects
 * all its findings; one with some titles matching adds the title test on its findings only.
 * More than MAX_MATCHED_RULES matching rules: the plain scan, as before (a very broad search).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { FleetDb } from './schema.js';
import { containsPattern, type StoreContext } from './context.js';

export const MAX_MATCHED_RULES = 500;

export type TextMatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'rules'; readonly pattern: string; readonly full: readonly string[]; readonly partial: readonly string[] }
  | { readonly kind: 'scan'; readonly pattern: string };

/** SQLite's LIKE ignores ASCII case by itself; PostgreSQL needs ILIKE. */
function likeOp(ctx: StoreContext) {
  return sql.raw(ctx.dialect === 'postgres' ? 'ilike' : 'like');
}

function contains(ctx: StoreContext, column: string, pattern: string) {
  return sql<SqlBool>`${sql.ref(column)} ${likeOp(ctx)} ${pattern} escape '\\'`;
}

/** Which rules the text selects, read from the kept (rule id, title) pairs. */
export async function matchText(ctx: StoreContext, text: string): Promise<TextMatch> {
  const pattern = containsPattern(text);
  // PostgreSQL: LIKE on the database's own lower() of both sides is what ILIKE does, minus the per-row folding.
  const hit = ctx.dialect === 'postgres'
    ? sql<SqlBool>`(rules.rule_folded like lower(${pattern}) escape '\\' or rules.title_folded like lower(${pattern}) escape '\\')`
    : sql<SqlBool>`(${contains(ctx, 'rules.rule_id', pattern)} or ${contains(ctx, 'rules.title', pattern)})`;
  const matched = await ctx.db.selectFrom('rules').select('rule_id').distinct().where(hit)
    .orderBy('rule_id').limit(MAX_MATCHED_RULES + 1).execute();
  if (matched.length === 0) return { kind: 'none' };
  if (matched.length > MAX_MATCHED_RULES) return { kind: 'scan', pattern };
  const ids = matched.map((r) => r.rule_id);
  // Rules with a kept title that does not match (and an id that does not): test titles there.
  const partial = (await ctx.db.selectFrom('rules').select('rule_id').distinct()
    .where('rule_id', 'in', ids).where(sql<SqlBool>`not ${hit}`).execute()).map((r) => r.rule_id);
  const some = new Set(partial);
  return { kind: 'rules', pattern, full: ids.filter((id) => !some.has(id)), partial };
}

/** The WHERE condition on findings for a matched text. */
export function textCondition(ctx: StoreContext, m: Exclude<TextMatch, { kind: 'none' }>) {
  return (eb: ExpressionBuilder<FleetDb, 'findings'>): Expression<SqlBool> => {
    const title = contains(ctx, 'findings.title', m.pattern);
    if (m.kind === 'scan') return eb.or([title, contains(ctx, 'findings.rule_id', m.pattern)]);
    const parts: Expression<SqlBool>[] = [];
    if (m.full.length > 0) parts.push(eb('findings.rule_id', 'in', [...m.full]));
    if (m.partial.length > 0) parts.push(eb.and([eb('findings.rule_id', 'in', [...m.partial]), title]));
    return eb.or(parts);
  };
}
