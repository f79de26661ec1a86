/**
 * The compromise half of the verdict: which findings are evidence of an attack, which are
 * attempts or weaker evidence, and the short reasons that point at them. Keyed on declared
 * properties only (category → class in findings/types.ts, severity, confidence, ATT&CK ids).
 *
 *   class `compromise`   confidence high/medium   confidence low
 *   severity ≥ medium     compromise               suspicious (weaker evidence)
 *   severity low          suspicious (attempt)     context
 *   severity info         context                  context
 */
import {
  atLeast,
  findingClass,
  severityRank,
  type Category,
  type CompromiseVerdict,
  type Finding,
  type VerdictReason,
} from '../findings/types.js';

export type CompromiseWeight = 'compromise' | 'suspicious' | 'context';

/** How much a finding says about compromise; null for exposure findings. */
export function compromiseWeight(f: Finding): CompromiseWeight | null {
  if (findingClass(f) !== 'compromise') return null;
  const confident = f.confidence !== 'low';
  if (atLeast(f.severity, 'medium')) return confident ? 'compromise' : 'suspicious';
  if (f.severity === 'low' && confident) return 'suspicious';
  return 'context';
}

/** ATT&CK T1003 (OS Credential Dumping) and its sub-techniques. */
export function isCredentialDump(f: Finding): boolean {
  return f.attack.some((t) => t === 'T1003' || t.startsWith('T1003.'));
}

const LABEL: Readonly<Record<Category, string>> = {
  webshell: 'Web shells',
  artifact: 'Attacker files',
  persistence: 'Persistence',
  exfiltration: 'Exfiltration',
  exploitation: 'Exploitation',
  ioc: 'Known indicators',
  posture: 'Exposure',
};
/** Reason order: what was planted and taken before how they got in. */
const ORDER: readonly Category[] = ['webshell', 'artifact', 'persistence', 'exfiltration', 'exploitation', 'ioc'];
const TITLES_SHOWN = 2;

function byWeight(fs: readonly Finding[]): Finding[] {
  return [...fs].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

function reasonFor(label: string, fs: readonly Finding[]): VerdictReason {
  const sorted = byWeight(fs);
  const titles = [...new Set(sorted.map((f) => f.title))];
  const shown = titles.slice(0, TITLES_SHOWN).join('; ');
  const more = titles.length > TITLES_SHOWN ? `; and ${titles.length - TITLES_SHOWN} more` : '';
  const n = fs.length === 1 ? '1 finding' : `${fs.length} findings`;
  return { about: 'compromise', text: `${label} (${n}): ${shown}${more}`, findings: sorted.map((f) => f.id) };
}

export interface CompromisePart {
  readonly compromise: CompromiseVerdict;
  readonly compromiseFindings: number;
  readonly suspiciousFindings: number;
  readonly reasons: readonly VerdictReason[];
}

/** `hunted`: whether any engine looked for compromise (logs, event logs or files). */
export function compromisePart(findings: readonly Finding[], hunted: boolean): CompromisePart {
  const strong: Finding[] = [];
  const weak: Finding[] = [];
  for (const f of findings) {
    const w = compromiseWeight(f);
    if (w === 'compromise') strong.push(f);
    else if (w === 'suspicious') weak.push(f);
  }
  const counts = { compromiseFindings: strong.length, suspiciousFindings: weak.length };
  if (strong.length > 0) {
    const dumps = strong.filter(isCredentialDump);
    const reasons = ORDER.flatMap((cat) => {
      const of = strong.filter((f) => f.category === cat && !(cat === 'artifact' && isCredentialDump(f)));
      const out = of.length > 0 ? [reasonFor(LABEL[cat], of)] : [];
      return cat === 'artifact' && dumps.length > 0 ? [reasonFor('Credential dump', dumps), ...out] : out;
    });
    return { compromise: 'compromised', ...counts, reasons };
  }
  if (weak.length > 0) {
    return { compromise: 'suspicious', ...counts, reasons: [reasonFor('Attempts or weaker evidence', weak)] };
  }
  if (!hunted) {
    return { compromise: 'not-examined', ...counts, reasons: [{ about: 'compromise', text: 'Not examined: this report holds no hunt of logs, event logs or files', findings: [] }] };
  }
  return { compromise: 'none-found', ...counts, reasons: [{ about: 'compromise', text: 'No evidence of compromise in what was examined', findings: [] }] };
}
