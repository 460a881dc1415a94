import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { Id, isoDate, text } from '../../platform/http/text.js';

export const AgreementStaffParams = z.strictObject({ id: Id });

export const AgreementBody = z.strictObject({
  version: text({ min: 1, max: 40 }),
  signedOn: isoDate,
  expiresOn: isoDate,
});
export const AgreementView = z.object({
  id: z.string(),
  staffId: z.string(),
  version: z.string(),
  signedOn: z.string(),
  expiresOn: z.string(),
  valid: z.boolean(),
});
export const MissingAgreementsResponse = z.object({
  items: z.array(
    z.object({
      staffId: z.string(),
      username: z.string(),
      displayName: z.string(),
      branchCode: z.string(),
      roles: z.array(z.enum(ROLES)),
      latest: z.object({ version: z.string(), signedOn: z.string(), expiresOn: z.string() }).nullable(),
    }),
  ),
});
