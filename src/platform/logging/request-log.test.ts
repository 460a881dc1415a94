import { describe, expect, it } from 'vitest';
import { loggedUrl, redactedQuery, serializeRequest } from './request-log.js';

describe('request log lines', () => {
  it('should keep the names of the query and replace every value', () => {
    expect(redactedQuery('/api/v1/cases?status=active&reason=%E5%AD%A3')).toBe('?status=~&reason=~');
    expect(redactedQuery('/api/v1/cases?flag&limit=')).toBe('?flag&limit=~');
    expect(redactedQuery('/api/v1/cases')).toBe('');
    expect(redactedQuery('/api/v1/cases?')).toBe('');
  });

  it('should redact a name that is not a plain word, since it is a value in disguise', () => {
    expect(redactedQuery('/x?110101198807150013')).toBe('?~');
    expect(redactedQuery('/x?13987654321=1&a%20b=2')).toBe('?~=~&~=~');
  });

  it('should log the route pattern, or unmatched, and never the path itself', () => {
    expect(loggedUrl('/api/v1/cases/:id', '/api/v1/cases/0193?x=1')).toBe('/api/v1/cases/:id?x=~');
    expect(loggedUrl(undefined, '/api/v1/nothing/110101198807150013')).toBe('unmatched');
    expect(
      serializeRequest({ method: 'GET', url: '/a/110101198807150013?phone=13987654321', raw: {}, routeOptions: {}, ip: '10.0.0.1' }),
    ).toEqual({ method: 'GET', url: 'unmatched?phone=~', remoteAddress: '10.0.0.1', remotePort: undefined });
    expect(serializeRequest(null)).toEqual({});
  });
});
