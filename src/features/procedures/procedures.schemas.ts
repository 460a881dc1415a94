import { z } from 'zod';
import { STEP_ROLES } from '../../domain/procedures.js';
import { SERVICE_CODES } from '../../domain/service-catalogue.js';
import { Id, text } from '../../platform/http/text.js';

export const TypeCodeParams = z.strictObject({ code: z.enum(SERVICE_CODES) });
export const RequestIdParams = z.strictObject({ id: Id });
export const StepParams = z.strictObject({ id: Id, step: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'not a step code') });

const StepInput = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'snake_case code'),
  zh: text({ min: 1, max: 60 }),
  en: text({ min: 1, max: 80 }),
  role: z.enum(STEP_ROLES),
  control: z.boolean(),
  /** The code of the earlier step a control step checks; null (or absent) for a maker step. */
  checks: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'snake_case code')
    .nullable()
    .optional(),
});

/** A new version of a type's procedure: the ordered steps. */
export const ProcedureBody = z.strictObject({ steps: z.array(StepInput).min(1).max(20) });

const Step = z.object({
  code: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  role: z.enum(STEP_ROLES),
  control: z.boolean(),
  checks: z.string().nullable(),
});

/** A type's procedure in force, and the versions before it. */
export const TypeProcedureView = z.object({
  typeCode: z.enum(SERVICE_CODES),
  /** Null when the type has no procedure yet. */
  version: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
  steps: z.array(Step),
  versions: z.array(z.object({ version: z.number().int(), publishedAt: z.string(), stepCount: z.number().int() })),
});

const Person = z.object({ id: z.string(), name: z.string() });

/** A request's procedure: the version it follows and each step with who took it and when. */
export const RequestProcedureView = z.object({
  requestId: z.string(),
  typeCode: z.string(),
  /** Null: the request was made before its type had a procedure, and follows none. */
  version: z.number().int().nullable(),
  complete: z.boolean(),
  steps: z.array(
    Step.extend({
      done: z.boolean(),
      completedBy: Person.nullable(),
      completedAt: z.string().nullable(),
      /** Whether the reader may complete this step now. */
      mayComplete: z.boolean(),
    }),
  ),
});
