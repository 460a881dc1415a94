/** The tables of the leads feature (issue 3), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the leads migration
export interface LeadsTables {}
