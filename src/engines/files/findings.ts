/**
 * Turns YARA matches and built-in hits on one file into findings (report contract v1):
 * one finding per file for YARA (the most severe rule leads, every match is listed), one per
 * built-in hit.
 */
import { findingId } from '../../findings/id.js';
import { SEVERITIES, severityRank } from '../../findings/types.js';
import type { Confidence, Finding, Severity } from '../../findings/types.js';
import type { FileRecord } from '../../parsers/types.js';
import type { MetaValue, YaraMatch } from '../../rules/yara.js';
import type { BuiltinHit } from './builtin.js';
import { excerptAt, type FileContent, type FileHashes } from './content.js';

/** Severity of a YARA rule: meta `severity` when valid, else from `score` (0-100), else medium. */
export function yaraSeverity(meta: Readonly<Record<string, MetaValue>>): Severity {
  const s = typeof meta.severity === 'string' ? meta.severity.toLowerCase() : '';
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  const score = typeof meta.score === 'number' ? meta.score : Number(meta.score);
  if (!Number.isFinite(score)) return 'medium';
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 50) return 'medium';
  return score >= 30 ? 'low' : 'info';
}

export function yaraConfidence(meta: Readonly<Record<string, MetaValue>>): Confidence {
  const score = typeof meta.score === 'number' ? meta.score : Number(meta.score);
  if (!Number.isFinite(score)) return 'medium';
  return score >= 80 ? 'high' : score >= 60 ? 'medium' : 'low';
}

function refsOf(meta: Readonly<Record<string, MetaValue>>): string[] {
  return Object.entries(meta)
    .filter(([k, v]) => /^(reference|ref|url)\d*$/i.test(k) && typeof v === 'string')
    .map(([, v]) => String(v));
}

function metaString(meta: Readonly<Record<string, MetaValue>>, key: string, dflt: string): string {
  const v = meta[key];
  return typeof v === 'string' && v !== '' ? v : dflt;
}

function evidenceOf(file: FileRecord, c: Pick<FileContent, 'hashes'>, excerpt: string): Finding['evidence'] {
  return {
    kind: 'file',
    path: file.path,
    sha256: c.hashes.sha256,
    md5: c.hashes.md5,
    sha1: c.hashes.sha1,
    size: file.size,
    mtime: file.mtime,
    ctime: file.ctime,
    atime: file.atime,
    birthtime: file.birthtime,
    excerpt,
  };
}

function times(file: FileRecord): Pick<Finding, 'time' | 'firstSeen' | 'lastSeen'> {
  // On a collected copy the birth time is the time of collection: the earlier of the two is the one that tells.
  const first = file.birthtime !== null && file.mtime !== null && file.birthtime > file.mtime ? file.mtime : (file.birthtime ?? file.mtime);
  return { time: file.mtime, firstSeen: first, lastSeen: file.mtime };
}

/** One finding for all YARA matches on a file, led by the most severe rule. */
export function yaraFinding(file: FileRecord, c: FileContent, matches: readonly YaraMatch[]): Finding | null {
  const sorted = [...matches].sort((a, b) => severityRank(yaraSeverity(b.meta)) - severityRank(yaraSeverity(a.meta)));
  const lead = sorted[0];
  if (!lead) return null;
  const ruleId = `${lead.namespace}:${lead.rule}`;
  const first = lead.strings[0];
  const description = metaString(lead.meta, 'description', lead.rule);
  const others = sorted.length > 1 ? ` (+${sorted.length - 1} more rule${sorted.length > 2 ? 's' : ''})` : '';
  return {
    id: findingId({ ruleId, path: file.path }),
    ruleId,
    title: description,
    severity: yaraSeverity(lead.meta),
    confidence: yaraConfidence(lead.meta),
    category: metaString(lead.meta, 'category', 'webshell') === 'artifact' ? 'artifact' : 'webshell',
    cves: [],
    attack: ['T1505.003'],
    evidence: evidenceOf(file, c, first ? excerptAt(c.buf, first.offset) : ''),
    ...times(file),
    count: 1,
    rule: {
      source: 'yara',
      author: metaString(lead.meta, 'author', 'unknown'),
      license: metaString(lead.meta, 'license', 'unknown'),
      refs: refsOf(lead.meta),
    },
    details: {
      reason: `YARA rule ${ruleId} matched: ${description}${others}`,
      matches: sorted.map((m) => ({
        rule: `${m.namespace}:${m.rule}`,
        severity: yaraSeverity(m.meta),
        strings: m.strings.map((s) => ({ id: s.id, offset: s.offset, data: s.data })),
      })),
    },
  };
}

export function builtinFinding(file: FileRecord, c: FileContent, h: BuiltinHit): Finding {
  return hashedFileFinding(file, c.hashes, h, excerptAt(c.buf, h.offset, 64));
}

/** A finding about a file from a built-in check (the excerpt is empty for hash-only checks: baseline, IOCs). */
export function hashedFileFinding(file: FileRecord, hashes: FileHashes, h: BuiltinHit, excerpt = ''): Finding {
  return {
    id: findingId({ ruleId: h.ruleId, path: file.path }),
    ruleId: h.ruleId,
    title: h.title,
    severity: h.severity,
    confidence: h.confidence,
    category: h.category,
    cves: [],
    attack: h.attack,
    evidence: evidenceOf(file, { hashes }, excerpt),
    ...times(file),
    count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: h.refs },
    details: { reason: h.reason, matches: [] },
  };
}

/** Where server-side code was seen in a file over the size limit (its head, its tail), if anywhere. */
export type CodeSeen = 'head' | 'tail' | 'head and tail' | null;

/**
 * The note that a file over the size limit was hashed and scanned only at its head and tail.
 * A script file in a web folder with server-side code in either part is medium (a shell
 * padded past the limit), else it is context (info).
 */
export function oversizeFinding(file: FileRecord, c: FileContent, limit: number, code: CodeSeen = null, part = 0): Finding {
  const ruleId = 'exhunt:file-over-scan-limit';
  const parts = part > 0 ? `its first and last ${part} bytes were scanned` : 'hashes and IOC checks only';
  return {
    id: findingId({ ruleId, path: file.path }),
    ruleId,
    title: code
      ? 'Script file over the scan size limit with server-side code: scanned at head and tail only'
      : 'File over the scan size limit: hashed, scanned at head and tail only',
    severity: code ? 'medium' : 'info',
    confidence: code ? 'medium' : 'high',
    category: code ? 'webshell' : 'artifact',
    cves: [],
    attack: code ? ['T1505.003'] : [],
    evidence: evidenceOf(file, c, ''),
    ...times(file),
    count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [] },
    details: {
      reason: code
        ? `${file.size} bytes is over the ${limit}-byte limit (--max-scan-bytes), and server-side code is in its ${code}: a script page this large is unusual (padding hides a shell from scanners); ${parts}`
        : `${file.size} bytes is over the ${limit}-byte limit (--max-scan-bytes): ${parts}`,
      matches: [],
      contentScanned: false,
    },
  };
}

/** A YARA finding on a part of a file that starts at `offset`: match offsets made file offsets. */
export function shiftMatches(f: Finding, offset: number): Finding {
  if (offset === 0) return f;
  const matches = (f.details.matches as { rule: string; severity: string; strings: { id: string; offset: number; data: string }[] }[])
    .map((m) => ({ ...m, strings: m.strings.map((s) => ({ ...s, offset: s.offset + offset })) }));
  return { ...f, details: { ...f.details, matches, scannedPart: `last bytes, from offset ${offset}` } };
}
