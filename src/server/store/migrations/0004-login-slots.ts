/**
 * Migration 0004: the login rate limit's check and count become one atomic step. A row per
 * limit key (a user name, a client address or an enrolment address) in `login_locks` is locked
 * for the few statements that count the key's failures in the window and reserve an attempt
 * slot (a `login_attempts` row with `success` = 2, "pending", settled to 0 or 1 once the
 * password is checked), so concurrent attempts on one key — from any number of server
 * processes — are counted one after another. `login_known` remembers where each user signed in
 * successfully, so that a lock on a name does not shut that user out of their own address.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('login_locks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('touched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_locks_touched_at').on('login_locks').column('touched_at').execute();
  await db.schema.createTable('login_known')
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_known_pk', ['name_key', 'address'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_known').execute();
  await db.schema.dropTable('login_locks').execute();
}
