/** The tables of the teams feature (issue 4), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the teams migration
export interface TeamsTables {}
