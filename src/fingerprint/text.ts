/** The human view of a fingerprint run: one line per target (escaped for the terminal). */
import { stripControl } from '../report/escape.js';
import type { TargetReport } from './types.js';

function openCves(t: TargetReport): string {
  const item = t.findings.find((f) => f.details.kind === 'exposure');
  const open = typeof item?.details.openCves === 'number' ? item.details.openCves : 0;
  const exploited = typeof item?.details.exploitedCves === 'number' ? item.details.exploitedCves : 0;
  const worst = t.partial ? ' at worst' : '';
  return `${open} open CVE${open === 1 ? '' : 's'} (${exploited} exploited)${worst}`;
}

function certPart(t: TargetReport): string {
  if (t.tls === null) return 'no TLS';
  if (t.tls.daysLeft === null) return 'cert expiry unknown';
  const days = t.tls.daysLeft < 0 ? `cert EXPIRED ${-t.tls.daysLeft} days ago` : `cert ${t.tls.daysLeft} days left`;
  return t.tls.authorized ? days : `${days} (untrusted)`;
}

function productPart(t: TargetReport): string {
  const p = t.posture;
  if (p === null) return 'product unknown';
  const su = p.su ?? (t.partial ? 'SU unknown' : null);
  const name = [p.product ?? 'unknown product', p.cu, su].filter((x) => x !== null).join(' ');
  const support = p.supported === false ? ', unsupported' : '';
  return `${name}${support}`;
}

export function targetLine(t: TargetReport): string {
  const host = stripControl(t.target);
  if (t.build === null) {
    return `${host}  error: ${t.error?.kind ?? 'unknown'}: ${stripControl(t.error?.message ?? 'no build found')}`;
  }
  const cols = [host, `${t.build} (${t.buildMethod ?? '?'})`, productPart(t), openCves(t), certPart(t)];
  return cols.join('  ');
}

export function fingerprintText(targets: readonly TargetReport[]): string {
  const ok = targets.filter((t) => t.build !== null).length;
  const head = `Fingerprint: ${targets.length} target${targets.length === 1 ? '' : 's'}, ${ok} with a build\n`;
  return `${head}${targets.map((t) => `  ${targetLine(t)}\n`).join('')}\n`;
}
