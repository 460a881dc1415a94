/**
 * The one error catalogue (API.md "Errors"): every error Lifeline answers has a stable code here,
 * its HTTP status and an English title. The web app translates codes; clients match on `code`.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_BODY: { status: 400, title: 'The request body could not be parsed' },
  UNAUTHENTICATED: { status: 401, title: 'Sign-in required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong user name or password' },
  MFA_REQUIRED: { status: 401, title: 'A one-time code is required' },
  MFA_INVALID: { status: 401, title: 'The one-time code is wrong or already used' },
  SESSION_EXPIRED: { status: 401, title: 'The session has expired' },
  PARTNER_AUTH_FAILED: { status: 401, title: 'Partner request signature not accepted' },
  API_KEY_REJECTED: { status: 401, title: 'API key not accepted' },
  CSRF_FAILED: { status: 403, title: 'Missing or wrong X-CSRF-Token header' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  AGREEMENT_REQUIRED: { status: 403, title: 'A valid confidentiality agreement is required' },
  MFA_ENROLMENT_REQUIRED: { status: 403, title: 'Enrol a one-time-code app first' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: 'Change the temporary password first' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'Idempotency-Key reused with a different body' },
  FOUR_EYES: { status: 409, title: 'A second person must do this' },
  OPS_TASKS_OPEN: { status: 409, title: 'Operations tasks of this request are still open' },
  PROCEDURE_INCOMPLETE: { status: 409, title: 'Steps of this request’s procedure are still open' },
  PROCEDURE_STEP_OUT_OF_ORDER: { status: 409, title: 'An earlier step of the procedure is still open' },
  SIGNATURE_REQUIRED: { status: 409, title: 'The customer has not signed this request' },
  ASSESSMENT_REQUIRED: { status: 409, title: 'The risk officer has not assessed this request' },
  BOOKING_CONFLICT: { status: 409, title: 'Another booking reference is recorded for this request' },
  COLLECTION_PAUSED: { status: 409, title: 'Collection is paused for this customer' },
  COLLECTION_CHANNEL_NOT_ALLOWED: { status: 409, title: 'This channel is not allowed for this customer' },
  COLLECTION_QUIET_HOURS: { status: 409, title: 'This is within the customer’s quiet hours' },
  COLLECTION_WEEKLY_LIMIT: { status: 409, title: 'The customer’s contacts for this week are used up' },
  ALERT_STEP_OUT_OF_ORDER: { status: 409, title: 'This step of the alert is not possible in its current status' },
  PRECONDITION_FAILED: { status: 412, title: 'The record has changed since you read it' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'A path segment of the URL is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  CONSENT_REQUIRED: { status: 422, title: 'The customer’s consent is required' },
  LOAN_NOT_ALLOWED: { status: 422, title: 'The loan cannot be granted as asked' },
  RULES_INVALID: { status: 422, title: 'The rule set is not valid' },
  PRECONDITION_REQUIRED: { status: 428, title: 'If-Match header required' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  LOGIN_LOCKED: { status: 429, title: 'Too many failed sign-ins; try again later' },
  INTERNAL: { status: 500, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * Why a field was refused, as a stable code: clients render it in their reader's language (the
 * `message` beside it is English, for developers and logs).
 */
export const FIELD_REASONS = [
  'required',
  'invalid_type',
  'invalid_format',
  'invalid_value',
  'too_small',
  'too_big',
  'range',
  'not_allowed',
  'unknown',
  'not_owned',
  'exceeds',
  'order',
  'future',
  'no_such_date',
  'same_as_current',
  'not_seriously_affected',
  'invalid',
  'no_shortfall',
  'above_cap',
  'above_shortfall',
] as const;
export type FieldReason = (typeof FIELD_REASONS)[number];

/** One bad field of a request. */
export interface FieldError {
  path: string;
  message: string;
  reason?: FieldReason;
  /** The bound a too_small / too_big value missed (length, count or value). */
  limit?: number;
}

/** An error that Lifeline answers to the client as problem+json with a stable code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /**
   * The record a reader was refused (answered as "not found" so that its existence does not
   * leak): the route pipeline records the attempt in the audit trail (`access.denied`).
   */
  readonly denied?: { type: string; id: string };

  constructor(
    code: ErrorCode,
    detail?: string,
    extra?: { errors?: FieldError[]; headers?: Record<string, string>; denied?: { type: string; id: string } },
  ) {
    super(detail ?? ERRORS[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
    this.denied = extra?.denied;
  }
}

/** The RFC 9457 body of an error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

/** Builds the problem+json body for an error code. */
export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[], instance?: string): Problem {
  const { status, title } = ERRORS[code];
  return {
    type: `https://lifeline.invalid/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    detail: detail ?? title,
    code,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** The 404 of a record that exists but that the reader may not see: answered like any "not found", recorded as a refusal. */
export function deniedAsNotFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `no such ${what}`, { denied: { type: what, id } });
}
