/** `exhunt kb info` / `exhunt kb import FILE`: the offline knowledge base and its updates. */
import type { Command } from 'commander';
import { loadKb } from '../engines/posture/kb-load.js';
import { importKb, KbRejectedError } from '../engines/posture/kb-import.js';
import { action } from './run.js';
import { EXIT_FAILED, EXIT_FINDINGS, EXIT_OK } from './errors.js';
import { oneLine } from '../report/escape.js';

function infoLines(): string[] {
  const kb = loadKb({ warn: (m) => process.stderr.write(`exhunt: ${oneLine(m)}\n`) });
  const b = kb.bundle;
  const builds = Object.values(b.builds).reduce((n, l) => n + l.length, 0);
  const newest = b.updates.reduce((m, u) => (u.date > m ? u.date : m), '');
  const lines = [
    `Knowledge base ${oneLine(b.meta.kbVersion)}, dated ${b.meta.kbDate} (${kb.origin}: ${oneLine(kb.path)})`,
    `  products: ${b.products.length} (${b.products.map((p) => oneLine(p.name)).join('; ')})`,
    `  builds: ${builds}; updates: ${b.updates.length} (newest ${newest}); CVEs: ${b.cves.length} (${b.cves.filter((c) => c.exploited).length} exploited in the wild)`,
    `  directives: ${(b.directives ?? []).map((d) => d.id).join(', ') || 'none'}`,
  ];
  return lines;
}

export function registerKb(program: Command): string[] {
  const kb = program.command('kb').description('the offline knowledge base (builds, updates, CVEs) and its updates');
  kb.command('info')
    .description("show the knowledge base's date and counts")
    .option('-f, --format <format>', 'text or json', 'text')
    .action(action(async (raw: Record<string, unknown>) => {
      if (raw.format === 'json') {
        const k = loadKb().bundle;
        const info = { kbVersion: k.meta.kbVersion, kbDate: k.meta.kbDate, products: k.products.length,
          builds: Object.values(k.builds).reduce((n, l) => n + l.length, 0), updates: k.updates.length, cves: k.cves.length };
        process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      } else process.stdout.write(`${infoLines().join('\n')}\n`);
      return Promise.resolve(EXIT_OK);
    }));
  kb.command('import <file>')
    .description('validate a knowledge base bundle (JSON) and install it; refuses malformed or older ones')
    .action(action(async (file: string) => {
      try {
        const r = importKb(file);
        process.stdout.write(`installed knowledge base ${oneLine(r.bundle.meta.kbVersion)} (${r.bundle.meta.kbDate}) at ${oneLine(r.path)}; replaces ${oneLine(r.replaced)}\n`);
        return Promise.resolve(EXIT_OK);
      } catch (err) {
        if (err instanceof KbRejectedError) {
          process.stderr.write(`exhunt: kb import refused: ${oneLine(err.message)}\n`);
          return Promise.resolve(EXIT_FINDINGS);
        }
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
          process.stderr.write(`exhunt: kb import: cannot read ${oneLine(file)} (${code})\n`);
          return Promise.resolve(EXIT_FAILED);
        }
        throw err;
      }
    }));
  return ['kb'];
}
