/**
 * People: users (scrypt password hashes), login attempts for rate limiting, browser sessions
 * and personal API tokens. Only SHA-256 hashes of session and API tokens are stored.
 */
import { randomBytes } from 'node:crypto';
import { ROLES, type Actor, type Role, type Session, type User } from './types.js';
import { writeAudit } from './audit.js';
import { newId, num, nowIso, StoreError, type StoreContext } from './context.js';
import { DUMMY_PASSWORD_HASH, hashPassword, newSecret, secretHash, verifyPasswordHash } from './secrets.js';
import type { UsersTable } from './schema.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

function toUser(r: Pick<UsersTable, 'id' | 'name' | 'role' | 'created_at' | 'disabled'>): User {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, disabled: r.disabled !== 0 };
}

/** Why a user name is refused, or null when it is acceptable. */
export function userNameProblem(name: string): string | null {
  return NAME_RE.test(name) ? null : 'a user name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit';
}

export async function addUser(ctx: StoreContext, name: string, role: Role, password: string, actor: Actor): Promise<User> {
  const problem = userNameProblem(name);
  if (problem !== null) throw new StoreError('invalid', problem);
  if (!ROLES.includes(role)) throw new StoreError('invalid', `role must be one of ${ROLES.join(', ')}`);
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw new StoreError('invalid', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (length > MAX_PASSWORD_LENGTH) throw new StoreError('invalid', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
  const hash = await hashPassword(password);
  const row = { id: newId(), name, name_key: name.toLowerCase(), role, password_hash: hash, created_at: nowIso(ctx), disabled: 0 };
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('users').values(row)
      .onConflict((oc) => oc.column('name_key').doNothing())
      .returning('id').executeTakeFirst();
    if (inserted === undefined) throw new StoreError('exists', `user "${name}" already exists`);
    await writeAudit(ctx, trx, [{ actor, action: 'user.added', targetKind: 'user', targetId: row.id, details: { name, role } }]);
    return toUser(row);
  });
}

export async function verifyPassword(ctx: StoreContext, name: string, password: string): Promise<User | null> {
  const r = await ctx.db.selectFrom('users').selectAll().where('name_key', '=', name.toLowerCase()).executeTakeFirst();
  // Unknown names are hashed too: the answer takes as long as for a real user.
  const ok = await verifyPasswordHash(password, r?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (r === undefined || !ok || r.disabled !== 0) return null;
  return toUser(r);
}

export async function listUsers(ctx: StoreContext): Promise<User[]> {
  const rows = await ctx.db.selectFrom('users').select(['id', 'name', 'role', 'created_at', 'disabled']).orderBy('name_key').execute();
  return rows.map(toUser);
}

export async function countUsers(ctx: StoreContext): Promise<number> {
  const r = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return num(r?.n);
}

/** Attempts older than this are pruned when the same key tries again. */
const ATTEMPT_KEEP_MS = 24 * 3600 * 1000;

export async function recordLoginAttempt(ctx: StoreContext, key: string, success: boolean): Promise<void> {
  const k = key.toLowerCase();
  const now = ctx.now();
  await ctx.db.insertInto('login_attempts').values({ id: newId(), key: k, at: now.toISOString(), success: success ? 1 : 0 }).execute();
  const old = new Date(now.getTime() - ATTEMPT_KEEP_MS).toISOString();
  await ctx.db.deleteFrom('login_attempts').where('key', '=', k).where('at', '<', old).execute();
}

export async function failedLoginsSince(ctx: StoreContext, key: string, sinceIso: string): Promise<number> {
  const r = await ctx.db.selectFrom('login_attempts').select((eb) => eb.fn.countAll().as('n'))
    .where('key', '=', key.toLowerCase()).where('at', '>=', sinceIso).where('success', 'in', [0, 2]).executeTakeFirst();
  return num(r?.n);
}

/**
 * The time of the `n`-th most recent failed attempt for `key` at or after `sinceIso`; null when
 * there are fewer than `n`. With a limit of `n` failures per window, the key is free again one
 * window after this time (for n = the count in the window, it is the oldest failure there).
 */
export async function nthRecentFailedLogin(ctx: StoreContext, key: string, sinceIso: string, n: number): Promise<string | null> {
  if (!Number.isInteger(n) || n < 1) throw new StoreError('invalid', 'n is a positive integer');
  const r = await ctx.db.selectFrom('login_attempts').select('at')
    .where('key', '=', key.toLowerCase()).where('at', '>=', sinceIso).where('success', 'in', [0, 2])
    .orderBy('at', 'desc').limit(1).offset(n - 1).executeTakeFirst();
  return r?.at ?? null;
}

export async function createSession(ctx: StoreContext, userId: string, ttlSeconds: number): Promise<{ token: string; session: Session }> {
  const u = await ctx.db.selectFrom('users').select(['id', 'name', 'role', 'created_at', 'disabled']).where('id', '=', userId).executeTakeFirst();
  if (u === undefined) throw new StoreError('not_found', 'no such user');
  const now = ctx.now();
  const token = newSecret('session');
  const row = {
    id: newId(),
    token_hash: secretHash(token),
    user_id: userId,
    csrf_token: randomBytes(32).toString('base64url'),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
  await ctx.db.insertInto('sessions').values(row).execute();
  await ctx.db.deleteFrom('sessions').where('expires_at', '<=', row.created_at).execute();
  return { token, session: { id: row.id, user: toUser(u), csrfToken: row.csrf_token, expiresAt: row.expires_at } };
}

export async function sessionByToken(ctx: StoreContext, token: string): Promise<Session | null> {
  const r = await ctx.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as sid', 'sessions.csrf_token', 'sessions.expires_at', 'users.id', 'users.name', 'users.role', 'users.created_at', 'users.disabled'])
    .where('sessions.token_hash', '=', secretHash(token))
    .where('sessions.expires_at', '>', nowIso(ctx))
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (r === undefined) return null;
  return { id: r.sid, user: toUser(r), csrfToken: r.csrf_token, expiresAt: r.expires_at };
}

export async function deleteSession(ctx: StoreContext, token: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', secretHash(token)).execute();
}

export async function createApiToken(ctx: StoreContext, userId: string, label: string, actor: Actor): Promise<{ token: string; id: string }> {
  const token = newSecret('user-token');
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values({ id, token_hash: secretHash(token), user_id: userId, label, created_at: nowIso(ctx), revoked: 0 }).execute();
    await writeAudit(ctx, trx, [{ actor, action: 'api_token.created', targetKind: 'user', targetId: userId, details: { tokenId: id, label } }]);
  });
  return { token, id };
}

export async function userByApiToken(ctx: StoreContext, token: string): Promise<User | null> {
  const r = await ctx.db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.name', 'users.role', 'users.created_at', 'users.disabled'])
    .where('api_tokens.token_hash', '=', secretHash(token))
    .where('api_tokens.revoked', '=', 0)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  return r === undefined ? null : toUser(r);
}
