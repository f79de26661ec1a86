/**
 * The scope contract: which attacker identities touched which mailboxes, how, and what was
 * exported or staged — the additive `scope` object of the report (issue 11 item 2). Plain
 * readonly data; every string that came from evidence is raw here (writers escape it).
 */

/** Mailbox access protocols exhunt tells apart in IIS and HttpProxy logs. */
export const PROTOCOLS = ['ews', 'owa', 'mapi', 'activesync', 'powershell'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type ProtocolCounts = Partial<Record<Protocol, number>>;
/** Requests per HTTP status class (`2xx`, `3xx`, `4xx`, `5xx`, `other`). */
export type StatusClasses = Readonly<Record<string, number>>;

/** Who the attacker is: a client address (or CIDR) or a user, and what said so. */
export interface Identity {
  readonly kind: 'address' | 'user';
  /** An address, a CIDR (`--suspect-ip 203.0.113.0/24`) or a user name as logged. */
  readonly value: string;
  /** Ids of the findings that produced it; `--suspect-ip` / `--suspect-user` for the responder's. */
  readonly from: readonly string[];
}

export interface MailboxRef {
  readonly mailbox: string;
  readonly protocols: ProtocolCounts;
  readonly requests: number;
}

export interface ScopeAttacker {
  readonly address?: string;
  readonly user?: string;
  readonly from: readonly string[];
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly requests: number;
  readonly bytesSent: number;
  readonly statusClasses: StatusClasses;
  readonly protocols: ProtocolCounts;
  readonly mailboxes: readonly MailboxRef[];
  /** Users authenticated in this identity's requests (an address's requests name them). */
  readonly users: readonly string[];
  /** Exchange cmdlets this identity ran (CmdletInfra / ECP logs), with counts. */
  readonly cmdlets: Readonly<Record<string, number>>;
}

export interface ScopeMailbox {
  readonly mailbox: string;
  /** Attacker addresses or users whose requests reached it. */
  readonly by: readonly string[];
  readonly protocols: ProtocolCounts;
  readonly requests: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly bytesSent: number;
  readonly statusClasses: StatusClasses;
  /** ActiveSync device ids seen for it. */
  readonly devices: readonly string[];
  readonly exported: boolean;
}

/** Where a record was seen (evidence path with `/`, line or event record id). */
export interface ScopePlace {
  readonly path: string;
  readonly line?: number | null;
  readonly recordId?: number | null;
}

export interface ScopeExport {
  readonly mailbox: string | null;
  /** `-FilePath` as given (usually a UNC path). */
  readonly filePath: string | null;
  readonly time: string | null;
  /** Who ran it, when the source says. */
  readonly user: string | null;
  readonly source: 'event' | 'rps-cmdlet' | 'ecp-server' | 'ecp-activity';
  readonly cmdlet: string;
  readonly at: ScopePlace;
  /** The same request seen in other logs (an event and a cmdlet log line, within the minute). */
  readonly alsoAt: readonly ScopePlace[];
  /** The file in the evidence, when the path maps onto it. */
  readonly file: { readonly path: string; readonly size: number; readonly mtime: string | null } | null;
  /** Why `file` is null: not a local or admin-share path, or not in the evidence. */
  readonly fileNote: string | null;
}

export interface ScopeStaged {
  readonly path: string;
  readonly size: number;
  readonly kind: string;
  readonly mtime: string | null;
  readonly birthtime: string | null;
  readonly place: 'web' | 'staging';
}

export interface ScopeGap {
  readonly source: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface ScopeWindow {
  readonly from: string;
  readonly to: string;
}

export interface ScopeSection {
  readonly identities: readonly Identity[];
  /** The attack window: first attacker finding − 1 day .. last + 1 day (null without dated findings). */
  readonly window: ScopeWindow | null;
  readonly attackers: readonly ScopeAttacker[];
  readonly mailboxes: readonly ScopeMailbox[];
  readonly exports: readonly ScopeExport[];
  readonly staged: readonly ScopeStaged[];
  readonly gaps: readonly ScopeGap[];
  /** Plain statements for the reader (no identities, how requests were counted, ...). */
  readonly notes: readonly string[];
}
