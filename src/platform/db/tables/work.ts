/** The tables of the work feature (issue 4), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the work migration
export interface WorkTables {}
