/**
 * Failed-login counts read only failures: an index on (key, success, at) keeps the rate-limit
 * check from reading every successful attempt of a busy address (all agents enrolling from one
 * NAT address, measured in bench/server: a full scan at ~9,500 rows on PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('login_attempts_key_success_at').on('login_attempts').columns(['key', 'success', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('login_attempts_key_success_at').execute();
}
