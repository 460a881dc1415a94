/** The tables of the cases feature (issue 3), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the cases migration
export interface CasesTables {}
