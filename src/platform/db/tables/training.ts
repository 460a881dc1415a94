/** The tables of the training feature (issue 4), as Kysely sees them; conventions in schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the training migration
export interface TrainingTables {}
