import { z } from 'zod';
import { isConditionCategory } from '../../domain/conditions.js';
import { isoDate, pageQuery, text } from '../../platform/http/text.js';

const id = (what: string) => z.string().regex(/^[A-Za-z0-9-]{1,64}$/, `not a ${what} id`);

export const PartnerIdParams = z.strictObject({ id: id('partner') });
export const PartnerKeyParams = z.strictObject({ id: id('partner'), keyId: id('key') });

/** A partner's API key as admins see it: never its secret. */
export const PartnerKeySchema = z.object({
  keyId: z.string(),
  status: z.enum(['active', 'revoked']),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const PartnerSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  defaultBranchId: z.string(),
  status: z.enum(['active', 'disabled']),
  keys: z.array(PartnerKeySchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const PartnerListQuery = pageQuery;
export const PartnerListResponse = z.object({ items: z.array(PartnerSchema), nextCursor: z.string().nullable() });

export const CreatePartnerBody = z.strictObject({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, 'upper-case letters, digits, dash, underscore; 2–32 characters'),
  name: text({ min: 1, max: 100 }),
  defaultBranchId: z.string().min(1).max(64),
});

export const UpdatePartnerBody = z
  .strictObject({
    name: text({ min: 1, max: 100 }).optional(),
    defaultBranchId: z.string().min(1).max(64).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** The answer to issuing a key: the secret is shown here once and never again. */
export const IssuedKeyResponse = z.object({ keyId: z.string(), secret: z.string() });

/** The consent scope without which a referral is refused (API.md, PIPL Art. 23 and 29). */
export const SHARE_WITH_BANK = 'share_with_bank';

/** A referral of a partner hospital (API.md "Partner hospitals"). */
export const ReferralBody = z.strictObject({
  referralId: z.string().regex(/^[\x21-\x7e]{1,100}$/, '1–100 printable ASCII characters'),
  patient: z.strictObject({
    name: text({ min: 1, max: 100 }),
    nationalId: text({ min: 1, max: 32 }),
    dateOfBirth: isoDate,
    phone: text({ min: 1, max: 32 }).optional(),
  }),
  condition: z.strictObject({
    category: z.string().max(64).refine(isConditionCategory, 'not a condition category (docs/partner-api.md)'),
    icd10: z
      .string()
      .regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code such as C34.1')
      .optional(),
    diagnosedOn: isoDate.optional(),
    summary: text({ min: 1, max: 2000 }),
  }),
  consent: z.strictObject({
    obtainedAt: z.iso.datetime({ offset: true }),
    scope: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a scope name such as share_with_bank')).max(20),
    evidenceRef: text({ min: 1, max: 200 }),
  }),
});
export type Referral = z.output<typeof ReferralBody>;

export const ReferralAccepted = z.object({ leadId: z.string() });
