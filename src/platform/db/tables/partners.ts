/** The tables of the partners feature (issue 3), as Kysely sees them; conventions in schema.ts. */
export interface PartnersTables {
  partners: PartnerTable;
  partner_keys: PartnerKeyTable;
  partner_signatures: PartnerSignatureTable;
  partner_referrals: PartnerReferralTable;
}

/** A partner hospital (P2.2.2, P9.2). */
export interface PartnerTable {
  id: string;
  /** Short stable code, upper case (`RUIJIN`); audit events name the partner `partner:<code>`. */
  code: string;
  name: string;
  /** Where its referrals land when the patient matches no customer. */
  default_branch_id: string;
  status: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * An API key of a partner. The id is the `X-Lifeline-Key` header; the secret is stored only as
 * ciphertext (AAD `partner_keys|secret_enc|<id>`), because verifying an HMAC needs the secret itself.
 */
export interface PartnerKeyTable {
  id: string;
  partner_id: string;
  secret_enc: string;
  status: 'active' | 'revoked';
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Signatures of accepted partner requests, kept for the replay window and then pruned. */
export interface PartnerSignatureTable {
  /** SHA-256 of the key id and the lower-case signature. */
  signature_hash: string;
  key_id: string;
  seen_at: string;
}

/** One accepted referral: the partner's own id mapped to the lead it created (unique per partner). */
export interface PartnerReferralTable {
  id: string;
  partner_id: string;
  referral_id: string;
  lead_id: string | null;
  key_id: string;
  received_at: string;
}
