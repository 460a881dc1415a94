/**
 * The OpenAPI document as the browsable reference (/api/docs) reads it. Swagger UI resolves an
 * OpenAPI 3.1 document through ApiDOM, which took seconds of the browser's time for Lifeline's
 * 270 KB (measured in headless Chromium, docs/decisions.md); an OpenAPI 3.0 document of the
 * same operations and schemas renders in a fraction of it. So the reference gets a 3.0 rendering,
 * and `/api/openapi.json`, the contract clients generate from, stays 3.1.
 *
 * Only the constructs the generated document uses are rewritten: `type: [T, "null"]` and
 * `anyOf: [X, {type: "null"}]` become `nullable: true`, a numeric `exclusiveMinimum`/`Maximum`
 * becomes the 3.0 boolean beside `minimum`/`maximum`, `const` becomes a one-value `enum`, and
 * `propertyNames` (3.0 has none) is dropped. Everything else is copied as it is.
 */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullSchema(value: unknown): boolean {
  return isObject(value) && value.type === 'null' && Object.keys(value).length === 1;
}

/** One JSON Schema (2020-12, as Zod writes it) as an OpenAPI 3.0 schema object. */
function schema30(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'type':
        if (Array.isArray(value)) {
          const types = value.filter((t) => t !== 'null');
          if (types.length < value.length) out.nullable = true;
          if (types.length === 1) out.type = types[0];
          else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
        } else if (value !== 'null') out.type = value;
        else out.nullable = true;
        break;
      case 'anyOf':
      case 'oneOf': {
        const options = Array.isArray(value) ? value : [];
        const rest = options.filter((o) => !isNullSchema(o)).map(convert);
        if (rest.length < options.length) out.nullable = true;
        const [only] = rest;
        // One option left that is not a reference: the schema itself, marked nullable.
        if (rest.length === 1 && isObject(only) && !('$ref' in only)) Object.assign(out, only, out.nullable ? { nullable: true } : {});
        else out[key] = rest;
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof value === 'number') {
          out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
          out[key] = true;
        } else out[key] = value;
        break;
      case 'const':
        out.enum = [convert(value)];
        break;
      case 'propertyNames':
      case '$schema':
        break;
      case 'properties':
      case 'patternProperties':
      case '$defs':
        out[key] = isObject(value) ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, convert(s)])) : value;
        break;
      // Values, not schemas: copied as they are.
      case 'enum':
      case 'default':
      case 'example':
      case 'examples':
      case 'required':
        out[key] = value;
        break;
      default:
        out[key] = convert(value);
    }
  }
  return out;
}

/** A schema, or what a schema keyword holds (a schema or a list of them), in 3.0 form. */
function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  return isObject(value) ? schema30(value) : value;
}

/** An object of the document outside schemas: a `schema` holds one, `components.schemas` a map of them. */
function walkObject(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === 'schema') return [key, convert(v)];
      if (key === 'schemas' && isObject(v)) return [key, Object.fromEntries(Object.entries(v).map(([name, s]) => [name, convert(s)]))];
      return [key, walk(v)];
    }),
  );
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  return isObject(value) ? walkObject(value) : value;
}

/** The generated 3.1 document as an OpenAPI 3.0 document for the browsable reference; the input is left untouched. */
export function openApi30ForViewer(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return walkObject({ ...document, openapi: '3.0.3' });
}
