/**
 * Scheduled tasks (Windows/System32/Tasks/**, task XML, usually UTF-16 with BOM) whose Exec
 * actions run from web folders, ProgramData, Temp or user folders, or run encoded PowerShell
 * (-enc / -EncodedCommand / FromBase64String): high. Stock Microsoft tasks that live in
 * ProgramData (Defender's MpCmdRun) are known-good data (content/persistence/scheduled-tasks.yaml).
 * Task schema: https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema (Exec,
 * Command, Arguments). ATT&CK T1053.005.
 */
import type { Finding } from '../../findings/types.js';
import type { TaskKnownGood } from './known-good.js';
import { persistenceFinding } from './finding.js';
import { encodedPowerShell, normalizeCommandLine, normalizeWinPath, riskyPlace, type PathContext } from './locations.js';
import { blankComments, decodeEntities, lineAt } from './xml-text.js';

export const SCHEDULED_TASK_RULE = 'exhunt-persistence-scheduled-task';

const REFS = [
  'https://attack.mitre.org/techniques/T1053/005/',
  'https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema',
  'https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a',
];

/** Largest task file read (real ones are a few KB). */
export const MAX_TASK_BYTES = 1024 * 1024;

export interface TaskAction {
  readonly command: string;
  readonly arguments: string;
  readonly workingDirectory: string;
  readonly line: number;
}

export interface TaskInfo {
  readonly uri: string | null;
  readonly author: string | null;
  readonly date: string | null;
  readonly actions: readonly TaskAction[];
}

function element(block: string, name: string): string | null {
  const m = new RegExp(`<${name}(?:\\s[^<>]*)?>([^<]*)</${name}\\s*>`, 'i').exec(block);
  return m ? decodeEntities(m[1] ?? '').trim() : null;
}

/** The Exec actions and registration info of a task XML text. */
export function parseTaskXml(text: string): TaskInfo {
  const body = blankComments(text.replace(/^\uFEFF/, ''));
  const actions = [...body.matchAll(/<Exec(?:\s[^<>]*)?>([\s\S]{0,65536}?)<\/Exec\s*>/gi)].map((m) => {
    const inner = m[1] ?? '';
    const cmdAt = inner.search(/<Command[\s>]/i);
    return {
      command: element(inner, 'Command') ?? '',
      arguments: element(inner, 'Arguments') ?? '',
      workingDirectory: element(inner, 'WorkingDirectory') ?? '',
      line: lineAt(body, m.index + m[0].indexOf(inner) + Math.max(0, cmdAt)),
    };
  });
  return { uri: element(body, 'URI'), author: element(body, 'Author'), date: element(body, 'Date'), actions };
}

function globMatch(pattern: string, text: string): boolean {
  const re = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^\\\\]*');
  return new RegExp(`^${re}$`).test(text);
}

/** Why an action is suspicious, or null. */
export function suspiciousAction(a: TaskAction, good: TaskKnownGood, ctx: PathContext): string | null {
  const command = normalizeWinPath(a.command, ctx);
  const full = `${a.command} ${a.arguments}`;
  if (encodedPowerShell(full)) return 'runs encoded PowerShell';
  // A stock command (Defender's MpCmdRun in ProgramData) is judged by its arguments only.
  const stock = good.commands.some((g) => globMatch(g, command));
  const place = riskyPlace(normalizeCommandLine(stock ? a.arguments : full, ctx), ctx);
  return place ? `runs from ${place}` : null;
}

/** Findings for one task file (`name`: the task's path below the Tasks folder). */
export function checkTaskText(path: string, name: string, text: string, good: TaskKnownGood, ctx: PathContext): Finding[] {
  const info = parseTaskXml(text);
  return info.actions.flatMap((a, i) => {
    const why = suspiciousAction(a, good, ctx);
    if (why === null) return [];
    return [
      persistenceFinding({
        ruleId: SCHEDULED_TASK_RULE,
        title: `Scheduled task "${info.uri ?? name}" ${why}`,
        severity: 'high',
        confidence: why.includes('encoded') ? 'high' : 'medium',
        attack: ['T1053.005'],
        refs: REFS,
        path,
        line: a.line,
        key: String(i),
        excerpt: `${a.command} ${a.arguments}`.trim(),
        details: {
          task: info.uri ?? name,
          author: info.author,
          registered: info.date,
          command: a.command,
          arguments: a.arguments,
          workingDirectory: a.workingDirectory || null,
          reason: why,
        },
      }),
    ];
  });
}
