/**
 * Reading cmdlet names and parameters as Exchange logs them:
 * - MSExchange CmdletLogs events (MSExchange Management channel, event 1 and 6): unnamed data
 *   [cmdlet, parameters, user, SID], parameters as `-Mailbox "x" -FilePath "\\h\c$\y.pst"`
 *   (see content/rules/events/exchange-cmdlet-mailbox-export.yml and its references);
 * - CmdletInfra Rps_Cmdlet logs: `Cmdlet` and `Parameters` columns, same parameter syntax;
 * - ECP Server logs: `EventData` with `S:CMD=New-MailboxExportRequest.Mailbox=''x''.FilePath=''y''`
 *   (parameters joined with `.` or `,`, values in doubled single quotes or double quotes).
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value of parameter `name` in a logged parameter string, or null. */
export function paramValue(text: string, name: string): string | null {
  const re = new RegExp(
    `(?:^|[\\s.,;-])${escapeRe(name)}(?![A-Za-z])\\s*[=:]?\\s*(?:''([^]*?)''|"([^"]*)"|'([^']*)'|([^\\s,;"']+))`,
    'i',
  );
  const m = re.exec(text);
  if (!m) return null;
  const v = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
  return v === '' ? null : v;
}

/** The cmdlet and its parameter text from an ECP Server `EventData` value, or null. */
export function ecpCommand(eventData: string): { readonly cmdlet: string; readonly params: string } | null {
  const m = /(?:^|;)S:CMD=([A-Za-z]+-[A-Za-z]+)([^]*?)(?=;S:[A-Za-z]+=|$)/.exec(eventData);
  if (!m?.[1]) return null;
  return { cmdlet: m[1], params: m[2] ?? '' };
}

/** Cmdlets that reach into a mailbox, and the parameter naming it. */
const MAILBOX_CMDLETS: Readonly<Record<string, string>> = {
  'new-mailboxexportrequest': 'Mailbox',
  'search-mailbox': 'Identity',
  'add-mailboxpermission': 'Identity',
  'add-mailboxfolderpermission': 'Identity',
  'new-inboxrule': 'Mailbox',
  'set-mailbox': 'Identity',
  'new-mailboxsearch': 'SourceMailboxes',
};

/** The mailbox a mailbox-reaching cmdlet names, or null. */
export function cmdletMailbox(cmdlet: string, params: string): string | null {
  const param = MAILBOX_CMDLETS[cmdlet.toLowerCase()];
  return param ? paramValue(params, param) : null;
}

export function isExportRequest(cmdlet: string): boolean {
  return cmdlet.toLowerCase() === 'new-mailboxexportrequest';
}
