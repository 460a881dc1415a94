import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/** The column types that differ between SQLite and PostgreSQL, for portable migrations. */
export function columnTypes(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const pick = (pgType: ColumnDataType, sqliteType: ColumnDataType) => (postgres ? pgType : sqliteType);
  return {
    dialect: postgres ? ('postgres' as const) : ('sqlite' as const),
    instant: pick('timestamptz', 'text'),
    date: pick('date', 'text'),
    bigint: pick('bigint', 'integer'),
  };
}
