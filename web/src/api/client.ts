/** A problem+json answer of the API (RFC 9457), or a network failure, as one typed error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fieldErrors: readonly { path: string; message: string; reason?: string; limit?: number }[];

  constructor(
    status: number,
    code: string,
    detail: string,
    fieldErrors: readonly { path: string; message: string; reason?: string; limit?: number }[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }
}

/** The code used when the server could not be reached at all. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// These 401s answer a wrong credential in a sign-in step, not a lost session.
const CREDENTIAL_CODES = new Set(['INVALID_CREDENTIALS', 'MFA_REQUIRED', 'MFA_INVALID']);

// Kept in memory only: a page reload fetches it again from /auth/me.
let csrfToken: string | null = null;
let onUnauthorized: (code: string) => void = () => {};

/** Remembers the CSRF token of the current session (from sign-in or /auth/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when the session is gone (back to sign-in). */
export function setUnauthorizedHandler(handler: (code: string) => void): void {
  onUnauthorized = handler;
}

/** Options of one API call. */
export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Sign-in itself answers 401 for wrong credentials; that must not end anything. */
  signIn?: boolean;
}

/** The parsed answer of one call with the headers that matter to callers (ETag). */
export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!isRecord(body)) return new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : response.statusText;
  const fieldErrors = Array.isArray(body.errors)
    ? body.errors.filter(isRecord).map((e) => ({
        path: String(e.path ?? ''),
        message: String(e.message ?? ''),
        ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
        ...(typeof e.limit === 'number' ? { limit: e.limit } : {}),
      }))
    : [];
  return new ApiError(response.status, code, detail, fieldErrors);
}

/** Calls the API: same-origin cookie, CSRF header on changes, problem+json turned into ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (STATE_CHANGING.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (err) {
    throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && !options.signIn && !CREDENTIAL_CODES.has(error.code)) onUnauthorized(error.code);
    throw error;
  }
  // The API always answers JSON on success; the cast states the contract of the caller's endpoint.
  const data = (response.status === 204 ? null : await response.json()) as T;
  return { data, etag: response.headers.get('etag') };
}

/** GET returning the body. */
export async function get<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).data;
}

/** POST returning the body. */
export async function post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request<T>('POST', path, { body, headers })).data;
}

/** POST of a file as the raw body (streamed by the browser), with its own content type; answers the body. */
export async function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch (err) {
    throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401) onUnauthorized(error.code);
    throw error;
  }
  // The API answers JSON on success; the cast states the contract of the caller's endpoint.
  return (await response.json()) as T;
}

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
