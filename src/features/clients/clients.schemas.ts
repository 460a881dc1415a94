import { z } from 'zod';
import { API_SCOPES } from '../../platform/http/api-key-auth.js';
import { pageQuery, text } from '../../platform/http/text.js';

const id = (what: string) => z.string().regex(/^[A-Za-z0-9-]{1,64}$/, `not a ${what} id`);

export const ClientIdParams = z.strictObject({ id: id('client') });
export const ClientKeyParams = z.strictObject({ id: id('client'), keyId: id('key') });

export const ApiScopeSchema = z.enum(API_SCOPES);

/** A client's key as admins see it: its recognisable prefix, never the key or its hash. */
export const ApiKeySchema = z.object({
  id: z.string(),
  prefix: z.string(),
  status: z.enum(['active', 'revoked']),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const ApiClientSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ApiScopeSchema),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  keys: z.array(ApiKeySchema),
});

export const ClientListQuery = pageQuery;
export const ClientListResponse = z.object({ items: z.array(ApiClientSchema), nextCursor: z.string().nullable() });

export const CreateClientBody = z.strictObject({
  name: text({ min: 1, max: 100 }),
  scopes: z
    .array(ApiScopeSchema)
    .min(1)
    .max(API_SCOPES.length)
    .refine((s) => new Set(s).size === s.length, 'a scope is listed twice'),
});
export type CreateClientInput = z.output<typeof CreateClientBody>;

/** The answer to issuing a key: the key is in this answer only. */
export const IssuedKeyResponse = z.object({ keyId: z.string(), prefix: z.string(), key: z.string() });
