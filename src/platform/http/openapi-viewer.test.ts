import { describe, expect, it } from 'vitest';
import { openApi30ForViewer } from './openapi-viewer.js';

/** The value at a path of keys, or undefined. */
function at(value: unknown, ...keys: (string | number)[]): unknown {
  let here = value;
  for (const key of keys) here = typeof here === 'object' && here !== null ? Object(here)[key] : undefined;
  return here;
}

/** A response schema as the reference sees it. */
function schemaOf(schema: object): unknown {
  const doc = openApi30ForViewer({
    openapi: '3.1.0',
    paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema } } } } } } },
  });
  return at(doc, 'paths', '/x', 'get', 'responses', 200, 'content', 'application/json', 'schema');
}

describe('the OpenAPI 3.0 form of the browsable reference', () => {
  it('should turn null types and null options into nullable', () => {
    expect(schemaOf({ type: ['string', 'null'], format: 'date' })).toEqual({ type: 'string', format: 'date', nullable: true });
    expect(schemaOf({ anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] })).toEqual({
      type: 'integer',
      minimum: 0,
      nullable: true,
    });
    expect(schemaOf({ anyOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'null' }] })).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Problem' }],
      nullable: true,
    });
    expect(schemaOf({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
  });

  it('should rewrite 3.1-only keywords deep inside objects and lists, and copy values as they are', () => {
    const input = {
      type: 'object',
      properties: {
        n: { type: 'number', exclusiveMinimum: 0 },
        k: { const: 'fixed' },
        tags: { type: 'array', items: { type: ['boolean', 'null'] } },
        map: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
        kind: { type: 'string', enum: ['a', 'b'], default: 'a' },
      },
      required: ['n'],
      additionalProperties: false,
    };
    const copy = structuredClone(input);
    expect(schemaOf(input)).toEqual({
      type: 'object',
      properties: {
        n: { type: 'number', minimum: 0, exclusiveMinimum: true },
        k: { enum: ['fixed'] },
        tags: { type: 'array', items: { type: 'boolean', nullable: true } },
        map: { type: 'object', additionalProperties: { type: 'string' } },
        kind: { type: 'string', enum: ['a', 'b'], default: 'a' },
      },
      required: ['n'],
      additionalProperties: false,
    });
    expect(input).toEqual(copy);
  });

  it('should say 3.0.3 and convert the shared schemas of components too', () => {
    const doc = openApi30ForViewer({
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      components: { schemas: { Problem: { type: 'object', properties: { instance: { type: ['string', 'null'] } } } } },
    });
    expect(doc).toEqual({
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      components: { schemas: { Problem: { type: 'object', properties: { instance: { type: 'string', nullable: true } } } } },
    });
  });
});
