/** The tables of the clients feature: other bank systems and their bearer keys; conventions in schema.ts. */
export interface ClientsTables {
  api_clients: ApiClientTable;
  api_keys: ApiKeyTable;
}

/** Another bank system that calls Lifeline with a bearer key (core banking, payment systems). */
export interface ApiClientTable {
  id: string;
  name: string;
  /** JSON array of scopes, e.g. ["transactions:ingest", "transactions:decide"]. */
  scopes: string;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

/** A client's key: only its SHA-256 is kept; the key itself is shown once. */
export interface ApiKeyTable {
  id: string;
  client_id: string;
  key_hash: string;
  prefix: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}
