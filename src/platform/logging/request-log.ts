/**
 * What a request's log lines say about the request. A URL can carry anything a client typed (a
 * national ID in a refused query, a phone number as a path segment), so the raw URL is never
 * logged: the line names the route's pattern (`/api/v1/cases/:id`, `unmatched` when no route
 * took it) and the query's parameter names, each value replaced by `~`.
 */

/** The placeholder of every query value in a log line. */
export const REDACTED_VALUE = '~';

// A parameter name the API could define: letters and a few separators. Anything else (digits, an
// identifier sent as a bare `?110101…`) is a value in disguise and is redacted like one.
const PLAIN_NAME = /^[A-Za-z_][A-Za-z_.-]{0,39}$/;

/** The query string of a URL with every value, and every name that is not a plain word, replaced by `~`. */
export function redactedQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return '';
  const query = url.slice(at + 1);
  if (query === '') return '';
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const shownName = PLAIN_NAME.test(name) ? name : REDACTED_VALUE;
    return eq < 0 ? shownName : `${shownName}=${REDACTED_VALUE}`;
  });
  return `?${parts.join('&')}`;
}

/** The URL as logged: the route pattern (or `unmatched`) and the redacted query. */
export function loggedUrl(routePattern: string | undefined, url: string): string {
  return `${routePattern ?? 'unmatched'}${redactedQuery(url)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The `req` of a log line. */
export interface LoggedRequest {
  method?: string;
  url?: string;
  remoteAddress?: string;
  remotePort?: number;
  // Fastify's type of a serialized request is open to more fields.
  [field: string]: unknown;
}

/**
 * The pino serializer of `req` in every request log line. It receives Fastify's request, or a
 * bare one for URLs the router refused (bad percent-encoding, an over-long segment), so it reads
 * each field defensively.
 */
export function serializeRequest(req: unknown): LoggedRequest {
  if (!isRecord(req)) return {};
  const raw = isRecord(req.raw) ? req.raw : {};
  const url = text(req.url) ?? text(raw.url) ?? '';
  const routeOptions = isRecord(req.routeOptions) ? req.routeOptions : {};
  const socket = isRecord(req.socket) ? req.socket : isRecord(raw.socket) ? raw.socket : {};
  return {
    method: text(req.method) ?? text(raw.method),
    url: loggedUrl(text(routeOptions.url), url),
    remoteAddress: text(req.ip),
    remotePort: typeof socket.remotePort === 'number' ? socket.remotePort : undefined,
  };
}
