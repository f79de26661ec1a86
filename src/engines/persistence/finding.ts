/** Builds the persistence findings of the module, agent and task checks (one shape for all). */
import { findingId } from '../../findings/id.js';
import type { Confidence, Finding, Severity } from '../../findings/types.js';

export interface PersistenceHit {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly attack: readonly string[];
  readonly refs: readonly string[];
  /** Evidence path (`/` separators) of the file holding the registration. */
  readonly path: string;
  readonly line: number | null;
  /** The registration as written (attacker-controlled: writers escape it). */
  readonly excerpt: string;
  /** Distinguishes several hits of one rule in one file at one line. */
  readonly key: string;
  readonly time?: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

const MAX_EXCERPT = 400;

export function persistenceFinding(h: PersistenceHit): Finding {
  const time = h.time ?? null;
  return {
    id: findingId({ ruleId: h.ruleId, path: h.path, line: h.line, key: h.key }),
    ruleId: h.ruleId,
    title: h.title,
    severity: h.severity,
    confidence: h.confidence,
    category: 'persistence',
    cves: [],
    attack: [...h.attack],
    evidence: { kind: 'file', path: h.path, line: h.line, excerpt: h.excerpt.slice(0, MAX_EXCERPT) },
    time,
    firstSeen: time,
    lastSeen: time,
    count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [...h.refs] },
    details: h.details,
  };
}

/** 1-based number of the first line of `text` for which `match` holds, or null. */
export function lineWhere(text: string, match: (line: string) => boolean): number | null {
  const lines = text.split(/\r\n|\n|\r/);
  const i = lines.findIndex(match);
  return i < 0 ? null : i + 1;
}
