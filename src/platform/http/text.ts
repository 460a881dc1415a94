import { z } from 'zod';
import { AppError } from './errors.js';

// NUL cannot be stored in PostgreSQL text, lone surrogates are not Unicode, other C0 controls are
// never meaningful in a name or a note: refusing them here keeps them from turning into 500s.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A trimmed, NFC-normalised text field without control characters or broken Unicode. */
export function text(opts: { min?: number; max: number }) {
  return (
    z
      .string()
      .max(opts.max * 4)
      .refine((s) => !FORBIDDEN.test(s), 'contains control characters or invalid Unicode')
      .transform((s) => s.normalize('NFC').trim())
      .pipe(
        z
          .string()
          .min(opts.min ?? 0)
          .max(opts.max),
      )
      // OpenAPI describes the input side, where only the loose pre-check shows: publish the real bounds.
      .meta({ minLength: opts.min ?? 0, maxLength: opts.max })
  );
}

/** A calendar date `YYYY-MM-DD` that exists; `format: date` in the OpenAPI document, so that generated clients type it as a date. */
/** Ids in URLs and bodies: what newId() makes, and nothing that could carry a personal identifier. */
export const Id = z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'not an id');

/** A customer number in a path (never a national ID or phone: API.md). */
export const CustomerNumber = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'not a customer number');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'not a real date',
    params: { reason: 'no_such_date' },
  })
  .meta({ format: 'date' });

/** List paging per API.md: `?limit=` (default 50, max 500) and `?cursor=`. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** Encodes a list position as an opaque cursor. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a forged or broken one is a 400. */
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid', {
      errors: [{ path: 'cursor', message: 'not a cursor of this list', reason: 'invalid_value' }],
    });
  }
  return parsed.data;
}
