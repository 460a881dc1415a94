import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/** The version an update expects, from `If-Match: "N"`; missing is 428, malformed 412. */
export function ifMatchVersion(req: FastifyRequest): number {
  const header = req.headers['if-match'];
  if (header === undefined) throw new AppError('PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(String(header).trim());
  if (!m) throw new AppError('PRECONDITION_FAILED', 'If-Match must be the ETag of the record');
  return Number(m[1]);
}
