/**
 * The API's schemas, defined once with TypeBox: fastify validates requests and serialises
 * responses with them, TypeScript derives the handler types from them, and @fastify/swagger
 * builds the OpenAPI document from them. Response schemas list every field the API promises
 * (fast-json-stringify drops anything else).
 */
import { Type, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Severity = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low'), Type.Literal('info')]);
export const Role = Type.Union([Type.Literal('admin'), Type.Literal('analyst'), Type.Literal('viewer')]);
export const TriageStatus = Type.Union([Type.Literal('new'), Type.Literal('confirmed'), Type.Literal('false_positive'), Type.Literal('remediated')]);

export const ErrorBody = Type.Object({
  error: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
}, { description: 'Every error: a message and, for validation errors, one entry per problem' });

/** The error responses a guarded route can give, to spread into `response`. */
export const AUTH_ERRORS = { 401: ErrorBody, 403: ErrorBody } as const;

export const Id = Type.String({ minLength: 1, maxLength: 200 });
export const IdParams = Type.Object({ id: Id });
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
};
export const PageQuery = Type.Object(Paging);

export const User = Type.Object({ id: Type.String(), name: Type.String(), role: Role, createdAt: Type.String(), disabled: Type.Boolean() });
export const UserName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$' });

export const Agent = Type.Object({
  id: Type.String(), serverId: Type.String(), hostname: Type.String(), enrolledAt: Type.String(),
  lastSeenAt: Nullable(Type.String()), revoked: Type.Boolean(),
});

export const ServerSummary = Type.Object({
  id: Type.String(), name: Type.String(), build: Nullable(Type.String()), product: Nullable(Type.String()),
  cu: Nullable(Type.String()), su: Nullable(Type.String()), supported: Nullable(Type.Boolean()), buildSource: Nullable(Type.String()),
  openCves: Type.Integer(), openExploitedCves: Type.Integer(), maxSeverity: Nullable(Severity), untriaged: Type.Integer(),
  findings: Type.Integer(), lastReportAt: Nullable(Type.String()), reports: Type.Integer(), lastSource: Nullable(Type.String()),
});

export const ServerSortKey = Type.Union([Type.Literal('name'), Type.Literal('build'), Type.Literal('openCves'), Type.Literal('openExploitedCves'),
  Type.Literal('maxSeverity'), Type.Literal('untriaged'), Type.Literal('lastReportAt')]);

export const AnyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });

export const ReportSummary = Type.Object({
  id: Type.String(), serverId: Type.String(), receivedAt: Type.String(), source: Type.String(), sha256: Type.String(),
  toolVersion: Type.String(), asOf: Type.String(), findings: Type.Integer(), maxSeverity: Nullable(Severity), bytes: Type.Integer(),
});

export const StoredFinding = Type.Object({
  id: Type.String(), serverId: Type.String(), serverName: Type.String(), findingId: Type.String(), ruleId: Type.String(),
  title: Type.String(), severity: Severity, category: Type.String(), firstSeen: Nullable(Type.String()), lastSeen: Nullable(Type.String()),
  status: TriageStatus, assignee: Nullable(Type.String()), updatedAt: Type.String(), lastReportId: Type.String(),
});

export const FindingDetail = Type.Object({
  ...StoredFinding.properties,
  data: AnyObject,
  comments: Type.Array(Type.Object({ at: Type.String(), user: Type.String(), text: Type.String() })),
});

export const AuditEntry = Type.Object({
  id: Type.String(), at: Type.String(), actorKind: Type.Union([Type.Literal('user'), Type.Literal('agent'), Type.Literal('system')]),
  actorName: Type.String(), action: Type.String(), targetKind: Type.String(), targetId: Nullable(Type.String()), details: AnyObject,
});

export const PageOf = <T extends TSchema>(t: T) => Type.Object({ items: Type.Array(t), total: Type.Integer() });
