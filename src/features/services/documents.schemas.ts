import { z } from 'zod';
import { SUMMARY_LOCALES } from '../../domain/service-summary.js';
import { Id, text } from '../../platform/http/text.js';

const ItemCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'not a checklist item code');
const StaffRef = z.object({ id: z.string(), displayName: z.string() }).nullable();

export const RequestParams = z.strictObject({ id: Id });
export const ItemParams = z.strictObject({ id: Id, code: ItemCode });

/** A tick: the evidence seen, e.g. "原件已核验" or a scan number. */
export const TickBody = z.strictObject({ evidenceRef: text({ min: 1, max: 200 }) });

/** The scan's file name, as the uploader's device named it (kept encrypted). */
export const ScanQuery = z.strictObject({ name: text({ min: 1, max: 200 }).optional() });

/** A request's checklist: each item, its tick and the scan's facts (never its content). */
export const DocumentList = z.object({
  requestId: z.string(),
  /** Whether the reduced list applies (a registered customer: always, for a request on a case) (P6.1.1). */
  reduced: z.boolean(),
  items: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      ticked: z.object({ by: StaffRef, at: z.string(), evidenceRef: z.string().nullable() }).nullable(),
      scan: z
        .object({
          contentType: z.string(),
          sizeBytes: z.number().int(),
          sha256: z.string(),
          uploadedBy: StaffRef,
          uploadedAt: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});

/** A scan as downloaded: its content base64, read under the case's access and audited. */
export const ScanView = z.object({
  fileName: z.string().nullable(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  contentBase64: z.string(),
});

export const SummaryQuery = z.strictObject({ locale: z.enum(SUMMARY_LOCALES).default('zh-CN') });
/** The text a customer signs, and its SHA-256 (hex). */
export const SummaryView = z.object({ locale: z.enum(SUMMARY_LOCALES), text: z.string(), sha256: z.string() });

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256');

/** A PNG as a data URL, as the signature pad exports it; about 700 KB at most. */
const PngDataUrl = z
  .string()
  .max(700_000)
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'not a PNG data URL');

/**
 * A signature: on the staff member's device (the image), or witnessed over video (the session
 * and the customer's spoken consent, no image). `summarySha256` is the hash of the summary shown
 * to the customer: if the request changed meanwhile the signature is refused (409).
 */
export const SignBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('on_device'),
    locale: z.enum(SUMMARY_LOCALES),
    summarySha256: Sha256,
    imagePng: PngDataUrl,
    place: text({ min: 1, max: 200 }),
  }),
  z.strictObject({
    kind: z.literal('remote_video'),
    locale: z.enum(SUMMARY_LOCALES),
    summarySha256: Sha256,
    videoSessionRef: text({ min: 1, max: 200 }),
    spokenConsentRef: text({ min: 1, max: 200 }),
    place: text({ min: 1, max: 200 }).optional(),
  }),
]);

export const SignatureView = z.object({
  id: z.string(),
  kind: z.enum(['on_device', 'remote_video']),
  /** Valid only while the request's summary still has the hash signed. */
  status: z.enum(['valid', 'voided']),
  voidReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  locale: z.enum(SUMMARY_LOCALES),
  summarySha256: z.string(),
  /** The hash of the request's summary now, in the signature's language: equal while it is valid. */
  currentSha256: z.string(),
  summaryText: z.string(),
  imagePng: z.string().nullable(),
  witness: StaffRef,
  signedAt: z.string(),
  place: z.string().nullable(),
  videoSessionRef: z.string().nullable(),
  spokenConsentRef: z.string().nullable(),
});
export const SignatureList = z.object({ requestId: z.string(), items: z.array(SignatureView) });

/** A change of the request's details while it is open (needs If-Match); voids its signatures. */
export const DetailsChangeBody = z.strictObject({
  details: z.record(z.string().max(64), z.unknown()).refine((d) => Object.keys(d).length <= 30, 'too many fields'),
});
