/**
 * Mitigation checks, read-only from evidence: are the IIS URL Rewrite rules Microsoft published
 * for CVE-2021-26855 and CVE-2022-41040/41082 present on the Default Web Site (its web.config,
 * or applicationHost.config at server level or `<location path="Default Web Site">`), are they
 * still needed for the detected build, and which exact rule to add, fix or remove.
 * Findings of category `posture`.
 */
import { promises as fs } from 'node:fs';
import type { EvidenceRoot, Sources } from '../evidence/index.js';
import { findingId } from '../findings/id.js';
import type { Finding, Posture, Severity } from '../findings/types.js';
import { MITIGATIONS, ruleXml, type Mitigation, type PublishedRule } from './mitigation-data.js';
import { decodeConfig, MAX_CONFIG_BYTES, parseRewriteRules, type RewriteRule } from './rewrite-rules.js';

const SITE = 'Default Web Site';

interface FoundRules {
  readonly rules: readonly (RewriteRule & { readonly file: string })[];
  /** Evidence path of the site's web.config (existing or where it belongs). */
  readonly webConfigPath: string;
  readonly errors: readonly string[];
}

async function readRules(abs: string): Promise<RewriteRule[]> {
  const st = await fs.stat(abs);
  if (st.size > MAX_CONFIG_BYTES) throw new Error('configuration file is too large to be real');
  return parseRewriteRules(decodeConfig(await fs.readFile(abs)));
}

async function siteWebConfig(root: EvidenceRoot, sources: Sources): Promise<{ abs: string | null; evidencePath: string }> {
  const dir = sources.webDirs.find((w) => w.virtualPath === '/' && (w.site ?? SITE).toLowerCase() === SITE.toLowerCase());
  const abs = dir ? await root.resolveUnder(dir.abs, 'web.config') : await root.resolveWin('%SystemDrive%\\inetpub\\wwwroot\\web.config');
  if (abs) return { abs, evidencePath: root.toEvidencePath(abs) };
  const base = dir?.evidencePath ?? `${root.drivePrefix}inetpub/wwwroot`;
  return { abs: null, evidencePath: `${base}/web.config` };
}

async function collectRules(root: EvidenceRoot, sources: Sources): Promise<FoundRules> {
  const errors: string[] = [];
  const out: (RewriteRule & { file: string })[] = [];
  const web = await siteWebConfig(root, sources);
  const files = [...(web.abs ? [{ abs: web.abs, ev: web.evidencePath, site: false }] : []),
    ...(sources.appHost ? [{ abs: sources.appHost.abs, ev: sources.appHost.evidencePath, site: true }] : [])];
  for (const f of files) {
    try {
      for (const r of await readRules(f.abs)) {
        const forSite = r.location === null || r.location === '' || r.location.toLowerCase().startsWith(SITE.toLowerCase());
        if (!f.site || forSite) out.push({ ...r, file: f.ev });
      }
    } catch (e) {
      errors.push(`${f.ev}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { rules: out, webConfigPath: web.evidencePath, errors };
}

type RuleState = 'ok' | 'weak' | 'missing';

function ruleState(pub: PublishedRule, rules: FoundRules['rules']): { state: RuleState; where: string | null } {
  let weak: string | null = null;
  for (const r of rules) {
    if (!r.enabled || r.action?.toLowerCase() !== 'abortrequest') continue;
    for (const c of r.conditions) {
      if (c.negate || c.pattern.trim().toLowerCase() !== pub.pattern.toLowerCase()) continue;
      const input = c.input.replace(/\s+/g, '').toLowerCase();
      if (input === pub.input.toLowerCase()) return { state: 'ok', where: r.file };
      if (pub.weakInputs.some((w) => w.toLowerCase() === input)) weak = r.file;
    }
  }
  return weak ? { state: 'weak', where: weak } : { state: 'missing', where: null };
}

interface Verdict {
  readonly severity: Severity;
  readonly action: 'add' | 'fix' | 'remove' | 'install-module' | 'none';
  readonly text: string;
}

function verdict(m: Mitigation, states: readonly RuleState[], needed: boolean | null, moduleInstalled: boolean | null, build: string | null): Verdict | null {
  const present = states.every((s) => s === 'ok');
  const any = states.some((s) => s !== 'missing');
  const weak = states.includes('weak');
  const b = build ?? 'unknown';
  if (needed === false) {
    return any ? { severity: 'info', action: 'remove', text: `${m.title}: no longer needed on build ${b} (the update closing ${m.cves.join(', ')} is installed); the rule may be removed` } : null;
  }
  const why = needed === null ? 'the build is unknown, so whether it is needed cannot be told' : `build ${b} is still open to ${m.cves.join(', ')}`;
  if (!any) return { severity: needed ? 'high' : 'low', action: 'add', text: `${m.title} is missing; ${why}` };
  if (weak) return { severity: needed ? 'medium' : 'low', action: 'fix', text: `${m.title} uses an early rule input that URL-encoded requests get past; ${why}` };
  if (!present) return { severity: needed ? 'high' : 'low', action: 'add', text: `${m.title} is incomplete (a published rule is missing); ${why}` };
  if (moduleInstalled === false) return { severity: needed ? 'high' : 'low', action: 'install-module', text: `${m.title} is configured but the IIS URL Rewrite module is not registered in applicationHost.config, so it does nothing; ${why}` };
  return { severity: 'info', action: 'none', text: `${m.title} is in place; it only narrows the exposure until the update is installed` };
}

function finding(m: Mitigation, v: Verdict, evPath: string, details: Record<string, unknown>, buildKnown: boolean): Finding {
  const ruleId = `mitigation.${m.key}`;
  return {
    id: findingId({ ruleId, path: evPath }), ruleId, title: v.text, severity: v.severity,
    confidence: buildKnown ? 'high' : 'medium', category: 'posture', cves: [...m.cves], attack: [],
    evidence: { kind: 'file', path: evPath, sha256: null },
    time: null, firstSeen: null, lastSeen: null, count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [...m.refs] },
    details: { kind: 'mitigation', action: v.action, ...details },
  };
}

/** One finding per published mitigation that is missing, weak, useless or no longer needed. */
export async function checkMitigations(root: EvidenceRoot, sources: Sources, posture: Posture | null): Promise<Finding[]> {
  const found = await collectRules(root, sources);
  const mods = sources.appHost?.config?.globalModules ?? null;
  const moduleInstalled = mods === null ? null : mods.some((g) => /rewrite/i.test(g.name) || /rewrite\.dll$/i.test(g.image ?? ''));
  const build = posture?.build ?? null;
  const out: Finding[] = [];
  for (const m of MITIGATIONS) {
    const needed = build === null || !posture ? null : m.cves.some((c) => posture.openCves.includes(c));
    const results = m.rules.map((r) => ({ rule: r, ...ruleState(r, found.rules) }));
    const v = verdict(m, results.map((r) => r.state), needed, moduleInstalled, build);
    if (!v) continue;
    const where = results.find((r) => r.where)?.where ?? found.webConfigPath;
    const rules = results.map((r) => ({
      name: r.rule.name, state: r.state, foundIn: r.where,
      xml: v.action === 'remove' ? null : ruleXml(r.rule),
    }));
    out.push(finding(m, v, where, { site: SITE, webConfig: found.webConfigPath, build, needed, moduleInstalled, rules, errors: found.errors }, build !== null));
  }
  return out;
}
