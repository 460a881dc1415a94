import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, type ErrorCode, problemOf } from './errors.js';

const CODES = Object.keys(ERRORS) as ErrorCode[]; // Object.keys loses the key type of a const object

describe('the error catalogue', () => {
  it('should give every code an error status and a title', () => {
    for (const code of CODES) {
      expect(code).toMatch(/^[A-Z][A-Z_]+[A-Z]$/);
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].status).toBeLessThan(600);
      expect(ERRORS[code].title.length).toBeGreaterThan(3);
    }
  });

  it('should build RFC 9457 problems', () => {
    expect(problemOf('NOT_FOUND')).toEqual({
      type: 'https://lifeline.invalid/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Not found',
      code: 'NOT_FOUND',
    });
    const withFields = problemOf('VALIDATION_FAILED', 'bad', [{ path: 'body.x', message: 'required' }], '/api/v1/x');
    expect(withFields).toMatchObject({
      status: 400,
      detail: 'bad',
      instance: '/api/v1/x',
      errors: [{ path: 'body.x', message: 'required' }],
    });
    expect(new AppError('CONFLICT').status).toBe(409);
    expect(new AppError('RATE_LIMITED', undefined, { headers: { 'retry-after': '5' } }).headers).toEqual({ 'retry-after': '5' });
  });

  it('should be documented, code by code with its status, in docs/api-conventions.md', () => {
    const doc = readFileSync(new URL('../../../docs/api-conventions.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(CODES.map((code) => [code, ERRORS[code].status]));
  });
});
