import type { Kysely } from 'kysely';

/** Issue 4: see the feature's docs. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
