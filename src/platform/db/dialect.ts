import { PostgresAdapter } from 'kysely';

/** True when the handle (or transaction) talks to PostgreSQL. */
export function isPostgres(db: { getExecutor(): { readonly adapter: object } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
