/** The tables of the communication feature (issue 4), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the communication migration
export interface CommunicationTables {}
