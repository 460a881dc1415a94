/** The tables of the credit feature: gentle collection per case and the contacts recorded; conventions in schema.ts. */
export interface CreditTables {
  collection_treatments: CollectionTreatmentTable;
  collection_contacts: CollectionContactTable;
}

export interface CollectionTreatmentTable {
  case_id: string;
  gentle: number;
  max_contacts_per_week: number;
  quiet_from: string;
  quiet_to: string;
  /** JSON array of channel codes. */
  channels: string;
  paused_until: string | null;
  updated_by: string;
  updated_at: string;
  version: number;
}

export interface CollectionContactTable {
  id: string;
  case_id: string;
  channel: string;
  contacted_at: string;
  recorded_by: string;
  created_at: string;
}
