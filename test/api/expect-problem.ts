import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/platform/http/errors.js';

/** The body of a problem+json answer, as tests read it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { path: string; message: string; reason?: string; limit?: number }[];
}

/** Asserts that an answer is the RFC 9457 problem of `code` (status from the catalogue) and returns its body. */
export function expectProblem(res: LightMyRequestResponse, code: ErrorCode): ProblemBody {
  expect(res.headers['content-type'], res.body).toContain('application/problem+json');
  const body = res.json<ProblemBody>();
  expect(body.code, res.body).toBe(code);
  expect(res.statusCode, res.body).toBe(ERRORS[code].status);
  expect(body.status).toBe(ERRORS[code].status);
  expect(body.title).toBe(ERRORS[code].title);
  expect(typeof body.detail).toBe('string');
  expect(body.type).toMatch(/^https:\/\/lifeline\.invalid\/problems\/[a-z-]+$/);
  return body;
}

/** Asserts that an answer is a well-formed 4xx problem or a 2xx/3xx success, never a 5xx. */
export function expectNoServerError(res: LightMyRequestResponse, what: string): void {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 500)}`).toBeLessThan(500);
  // HEAD answers carry the headers of the GET answer but no body.
  if (res.statusCode >= 400 && res.body !== '') {
    expect(res.headers['content-type'], `${what} → ${res.body.slice(0, 500)}`).toContain('application/problem+json');
    const body = res.json<ProblemBody>();
    expect(body.status, what).toBe(res.statusCode);
    expect(Object.keys(ERRORS), what).toContain(body.code);
  }
}
