import { type RawBuilder, sql } from 'kysely';

// '!' escapes LIKE wildcards on both databases (SQLite has no default escape character).
function likeFragment(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`).toLowerCase();
}

/** Case-insensitive "column contains text" (prefix: "starts with"), with `%` and `_` taken literally. */
export function likeText(column: string, text: string, mode: 'contains' | 'prefix' = 'contains'): RawBuilder<boolean> {
  const pattern = mode === 'contains' ? `%${likeFragment(text)}%` : `${likeFragment(text)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}
