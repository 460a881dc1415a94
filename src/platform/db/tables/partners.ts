/** The tables of the partners feature (issue 3), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the partners migration
export interface PartnersTables {}
