/**
 * Aggregates the selected requests per attacker identity and per mailbox: protocols, request
 * counts, first/last time, bytes sent, status classes, users and ActiveSync devices. Memory
 * grows with identities × mailboxes, never with requests.
 */
import type { Protocol, ProtocolCounts, ScopeAttacker, ScopeMailbox, ScopePlace } from './types.js';

interface Span {
  first: string | null;
  last: string | null;
  requests: number;
  bytes: number;
  readonly statuses: Map<string, number>;
  readonly protocols: Map<Protocol, number>;
}

interface AttackerAcc extends Span {
  readonly kind: 'address' | 'user';
  readonly value: string;
  readonly users: Set<string>;
  readonly mailboxes: Map<string, { requests: number; protocols: Map<Protocol, number> }>;
  readonly cmdlets: Map<string, number>;
}

interface MailboxAcc extends Span {
  at: ScopePlace | null;
  readonly by: Set<string>;
  readonly devices: Set<string>;
}

export interface AccessHit {
  /** Identity values (address/CIDR or user) the request matched, at least one. */
  readonly identities: readonly { readonly kind: 'address' | 'user'; readonly value: string }[];
  readonly time: string | null;
  /** Null for a request that is not mailbox access (it still counts for the identity). */
  readonly protocol: Protocol | null;
  readonly mailbox: string | null;
  readonly user: string | null;
  readonly device: string | null;
  readonly statusClass: string;
  readonly bytes: number | null;
  /** Where the request was logged (the first one per mailbox becomes the finding's evidence). */
  readonly at?: ScopePlace;
}

const MAX_DEVICES = 20;
const MAX_USERS = 50;

function span(): Span {
  return { first: null, last: null, requests: 0, bytes: 0, statuses: new Map(), protocols: new Map() };
}

function bump<K>(m: Map<K, number>, k: K, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function touch(s: Span, h: AccessHit): void {
  s.requests++;
  if (h.bytes !== null) s.bytes += h.bytes;
  bump(s.statuses, h.statusClass);
  if (h.protocol !== null) bump(s.protocols, h.protocol);
  if (h.time !== null) {
    if (s.first === null || h.time < s.first) s.first = h.time;
    if (s.last === null || h.time > s.last) s.last = h.time;
  }
}

function counts(m: ReadonlyMap<Protocol, number>): ProtocolCounts {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function sortedRecord(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export class AccessAggregator {
  private readonly attackers = new Map<string, AttackerAcc>();
  private readonly mailboxes = new Map<string, MailboxAcc>();

  private attacker(kind: 'address' | 'user', value: string): AttackerAcc {
    const key = `${kind}\u0000${value.toLowerCase()}`;
    let a = this.attackers.get(key);
    if (!a) {
      a = { ...span(), kind, value, users: new Set(), mailboxes: new Map(), cmdlets: new Map() };
      this.attackers.set(key, a);
    }
    return a;
  }

  add(h: AccessHit): void {
    for (const id of h.identities) {
      const a = this.attacker(id.kind, id.value);
      touch(a, h);
      if (h.user && a.users.size < MAX_USERS) a.users.add(h.user);
      if (h.mailbox && h.protocol) this.attackerMailbox(a, h.mailbox, h.protocol);
    }
    const mailbox = h.mailbox;
    if (mailbox && h.protocol) this.mailboxTouch({ ...h, mailbox }, h.identities.map((i) => i.value));
  }

  private attackerMailbox(a: AttackerAcc, mailbox: string, protocol: Protocol): void {
    let m = a.mailboxes.get(mailbox);
    if (!m) {
      m = { requests: 0, protocols: new Map() };
      a.mailboxes.set(mailbox, m);
    }
    m.requests++;
    bump(m.protocols, protocol);
  }

  private mailboxTouch(h: AccessHit & { readonly mailbox: string }, by: readonly string[]): void {
    let mb = this.mailboxes.get(h.mailbox);
    if (!mb) {
      mb = { ...span(), at: null, by: new Set(), devices: new Set() };
      this.mailboxes.set(h.mailbox, mb);
    }
    mb.at ??= h.at ?? null;
    touch(mb, h);
    for (const v of by) mb.by.add(v);
    if (h.device && mb.devices.size < MAX_DEVICES) mb.devices.add(h.device);
  }

  /**
   * A cmdlet run by an attacker identity (CmdletInfra logs); when it reaches into a mailbox
   * (`mailbox`), that mailbox counts as touched over PowerShell.
   */
  cmdlet(
    identity: { readonly kind: 'address' | 'user'; readonly value: string },
    name: string,
    mailbox: string | null,
    time: string | null,
    at: ScopePlace,
  ): void {
    const a = this.attacker(identity.kind, identity.value);
    bump(a.cmdlets, name);
    if (mailbox === null) return;
    this.attackerMailbox(a, mailbox, 'powershell');
    const hit = { identities: [identity], time, protocol: 'powershell' as const, mailbox, user: null, device: null, statusClass: 'cmdlet', bytes: null, at };
    this.mailboxTouch(hit, [identity.value]);
  }

  /** A mailbox exported by an attacker (`by`: who ran the export, when known). */
  exported(mailbox: string, by: string | null, time: string | null, at: ScopePlace): void {
    let mb = this.mailboxes.get(mailbox);
    if (!mb) {
      mb = { ...span(), at, by: new Set(), devices: new Set() };
      this.mailboxes.set(mailbox, mb);
    }
    if (by) mb.by.add(by);
    if (time !== null) {
      if (mb.first === null || time < mb.first) mb.first = time;
      if (mb.last === null || time > mb.last) mb.last = time;
    }
  }

  /** Makes sure every identity has an entry, even without requests. */
  ensure(kind: 'address' | 'user', value: string): void {
    this.attacker(kind, value);
  }

  attackerResults(fromOf: (kind: 'address' | 'user', value: string) => readonly string[]): ScopeAttacker[] {
    return [...this.attackers.values()].map((a) => ({
      ...(a.kind === 'address' ? { address: a.value } : { user: a.value }),
      from: fromOf(a.kind, a.value),
      firstSeen: a.first,
      lastSeen: a.last,
      requests: a.requests,
      bytesSent: a.bytes,
      statusClasses: sortedRecord(a.statuses),
      protocols: counts(a.protocols),
      mailboxes: [...a.mailboxes.entries()]
        .map(([mailbox, m]) => ({ mailbox, requests: m.requests, protocols: counts(m.protocols) }))
        .sort((x, y) => y.requests - x.requests || x.mailbox.localeCompare(y.mailbox)),
      users: [...a.users].sort(),
      cmdlets: sortedRecord(a.cmdlets),
    }));
  }

  /** Where each mailbox was first seen touched (evidence for its finding). */
  firstPlace(mailbox: string): ScopePlace | null {
    return this.mailboxes.get(mailbox)?.at ?? null;
  }

  mailboxResults(exported: (mailbox: string) => boolean): ScopeMailbox[] {
    return [...this.mailboxes.entries()]
      .map(([mailbox, m]) => ({
        mailbox,
        by: [...m.by].sort(),
        protocols: counts(m.protocols),
        requests: m.requests,
        firstSeen: m.first,
        lastSeen: m.last,
        bytesSent: m.bytes,
        statusClasses: sortedRecord(m.statuses),
        devices: [...m.devices].sort(),
        exported: exported(mailbox),
      }))
      .sort((x, y) => y.requests - x.requests || x.mailbox.localeCompare(y.mailbox));
  }
}
