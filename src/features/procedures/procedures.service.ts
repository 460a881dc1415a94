import type { z } from 'zod';
import {
  checkProcedure,
  defaultProcedures,
  mayCompleteStep,
  openSteps,
  type ProcedureStep,
  procedureComplete,
  STEP_ROLES,
  versionInForce,
} from '../../domain/procedures.js';
import { hasPermission } from '../../domain/roles.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { ProcedureTable } from '../../platform/db/tables/procedures.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { serviceType, serviceTypes } from '../services/catalogue.service.js';
import { requestToWorkOn, requestWithCase } from '../services/request-access.service.js';
import { registerServiceTypeHooks, type ServiceTypeHooks } from '../services/type-hooks.service.js';
import { staffNames } from '../staff/staff.service.js';
import {
  completionsOf,
  findPin,
  findProcedure,
  insertCompletion,
  insertPin,
  insertProcedure,
  procedureVersions,
  typesWithProcedure,
} from './procedures.repository.js';
import type { ProcedureBody, RequestProcedureView, TypeProcedureView } from './procedures.schemas.js';

// P7.3.1 (docs/procedures.md): each service type's versioned procedure, the version a request
// follows, who took each step, and the rule that a request completes only when every step is done.

const FINAL: readonly ServiceRequestTable['status'][] = ['rejected', 'completed', 'cancelled'];

function isStepRole(value: unknown): value is ProcedureStep['role'] {
  return typeof value === 'string' && (STEP_ROLES as readonly string[]).includes(value);
}

/** The steps of a stored version (JSON written by this feature; anything else is dropped, not trusted). */
function stepsOf(row: ProcedureTable): ProcedureStep[] {
  const parsed: unknown = JSON.parse(row.steps);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((s: unknown) => {
    if (typeof s !== 'object' || s === null) return [];
    const { code, zh, en, role, control, checks } = s as Record<string, unknown>; // shape checked field by field below
    if (typeof code !== 'string' || typeof zh !== 'string' || typeof en !== 'string' || !isStepRole(role)) return [];
    return [{ code, zh, en, role, control: control === true, checks: typeof checks === 'string' ? checks : null }];
  });
}

const stepView = (s: ProcedureStep) => ({ code: s.code, name: { zh: s.zh, en: s.en }, role: s.role, control: s.control, checks: s.checks });

/**
 * Installs the default procedure (version 1) of every catalogue type that has none (start-up, demo
 * seed, tests that want them). Requests made before their type had a procedure follow none.
 */
export async function installDefaultProcedures(ctx: AppContext, db: Executor): Promise<number> {
  const have = await typesWithProcedure(db);
  const known = new Set((await serviceTypes(db)).map((t) => t.code));
  const at = ctx.now().toISOString();
  let added = 0;
  for (const p of defaultProcedures()) {
    if (have.has(p.typeCode) || !known.has(p.typeCode)) continue;
    await insertProcedure(db, { type_code: p.typeCode, version: 1, steps: JSON.stringify(p.steps), published_by: null, published_at: at });
    added++;
  }
  return added;
}

/** A type's procedure in force and its earlier versions (the catalogue page's editor). */
export async function typeProcedure(db: Executor, typeCode: string): Promise<z.input<typeof TypeProcedureView>> {
  const t = await serviceType(db, typeCode);
  const versions = await procedureVersions(db, t.code);
  const current = versions.at(-1);
  return {
    typeCode: t.code,
    version: current?.version ?? null,
    publishedAt: current?.published_at ?? null,
    steps: current ? stepsOf(current).map(stepView) : [],
    versions: versions.map((v) => ({ version: v.version, publishedAt: v.published_at, stepCount: stepsOf(v).length })),
  };
}

/**
 * Publishes a new version of a type's procedure (admins). `expectedVersion` is the version the
 * editor started from (0 when the type had none): an older one is 412. Old versions stay, and the
 * requests that follow them keep them.
 */
export async function publishProcedure(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  typeCode: string,
  expectedVersion: number,
  body: z.output<typeof ProcedureBody>,
) {
  const t = await serviceType(db, typeCode);
  const current = (await procedureVersions(db, t.code)).at(-1)?.version ?? 0;
  if (expectedVersion !== current) throw new AppError('PRECONDITION_FAILED');
  const steps: ProcedureStep[] = body.steps.map((s) => ({ ...s, checks: s.checks ?? null }));
  const problems = checkProcedure(steps);
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'the procedure is not valid', {
      errors: problems.map((p) => ({ path: `body.${p.path}`, message: p.reason, reason: p.reason })),
    });
  const now = ctx.now();
  const version = current + 1;
  await insertProcedure(db, {
    type_code: t.code,
    version,
    steps: JSON.stringify(steps),
    published_by: actor.id,
    published_at: now.toISOString(),
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'procedure.published',
      target: { type: 'service_type', id: t.code },
      branchId: null,
      detail: { version, steps: steps.length },
    },
    now,
  );
  return typeProcedure(db, t.code);
}

/**
 * The procedure a request follows: the version pinned to it, or else the version of its type in
 * force when it was made (pinned now, so it never changes); undefined when its type had none then.
 */
async function procedureOf(ctx: AppContext, db: Executor, r: ServiceRequestTable) {
  const pin = await findPin(db, r.id);
  if (pin) {
    const row = await findProcedure(db, pin.type_code, pin.version);
    return row ? { version: row.version, steps: stepsOf(row) } : undefined;
  }
  const inForce = versionInForce(
    (await procedureVersions(db, r.type_code)).map((v) => ({ ...v, publishedAt: v.published_at })),
    r.requested_at,
  );
  if (!inForce) return undefined;
  await insertPin(db, { request_id: r.id, type_code: r.type_code, version: inForce.version, pinned_at: ctx.now().toISOString() });
  return { version: inForce.version, steps: stepsOf(inForce) };
}

/** A request's procedure as the reader sees it: each step, who took it and when, and what the reader may take now. */
export async function requestProcedure(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
): Promise<z.input<typeof RequestProcedureView>> {
  const { r, facts, decision } = await requestWithCase(ctx, db, actor, id);
  const procedure = await procedureOf(ctx, db, r);
  if (!procedure) return { requestId: r.id, typeCode: r.type_code, version: null, complete: true, steps: [] };
  const done = await completionsOf(db, r.id);
  const taken = done.map((d) => ({ code: d.step_code, by: d.completed_by }));
  const names = await staffNames(
    db,
    done.map((d) => d.completed_by),
  );
  const canWork =
    hasPermission(actor.roles, 'service.request') && decision.access === 'full' && facts.status === 'active' && !FINAL.includes(r.status);
  return {
    requestId: r.id,
    typeCode: r.type_code,
    version: procedure.version,
    complete: procedureComplete(procedure.steps, taken),
    steps: procedure.steps.map((s) => {
      const d = done.find((x) => x.step_code === s.code);
      return {
        ...stepView(s),
        done: d !== undefined,
        completedBy: d ? { id: d.completed_by, name: names.get(d.completed_by) ?? '' } : null,
        completedAt: d?.completed_at ?? null,
        mayComplete: canWork && mayCompleteStep(procedure.steps, taken, s.code, actor).ok,
      };
    }),
  };
}

const REFUSAL = {
  unknown_step: ['NOT_FOUND', 'no such step in the request’s procedure'],
  already_done: ['CONFLICT', 'this step is done'],
  out_of_order: ['PROCEDURE_STEP_OUT_OF_ORDER', 'an earlier step is still open'],
  wrong_role: ['FORBIDDEN', 'this step is taken by a holder of its role'],
  same_as_maker: ['FOUR_EYES', 'a control step is taken by someone other than the one who took the step it checks'],
} as const;

/**
 * Takes a step of a request's procedure: someone who works on the request (its case's team, its
 * branch's supervisors) holding the step's role, in order; a control step by someone other than
 * its maker (409 FOUR_EYES).
 */
export async function completeStep(ctx: AppContext, db: Executor, actor: Actor, id: string, code: string) {
  const { r } = await requestToWorkOn(ctx, db, actor, id);
  const procedure = await procedureOf(ctx, db, r);
  if (!procedure) throw new AppError('NOT_FOUND', 'this request follows no procedure');
  const taken = (await completionsOf(db, r.id)).map((d) => ({ code: d.step_code, by: d.completed_by }));
  const verdict = mayCompleteStep(procedure.steps, taken, code, actor);
  if (!verdict.ok) {
    const [errorCode, detail] = REFUSAL[verdict.reason];
    throw new AppError(errorCode, detail);
  }
  const now = ctx.now();
  await insertCompletion(db, { request_id: r.id, step_code: code, completed_by: actor.id, completed_at: now.toISOString() });
  await recordAudit(
    db,
    actor,
    {
      action: 'procedure.step_completed',
      target: { type: 'service_request', id: r.id },
      branchId: r.branch_id,
      detail: { caseId: r.case_id, type: r.type_code, version: procedure.version, step: code },
    },
    now,
  );
  return requestProcedure(ctx, db, actor, id);
}

/** The engine's check before a request completes: 409 PROCEDURE_INCOMPLETE while a step is open. */
async function assertProcedureDone(ctx: AppContext, db: Executor, _actor: Actor, r: ServiceRequestTable): Promise<void> {
  const procedure = await procedureOf(ctx, db, r);
  if (!procedure) return;
  const taken = (await completionsOf(db, r.id)).map((d) => ({ code: d.step_code, by: d.completed_by }));
  const open = openSteps(procedure.steps, taken);
  if (open.length > 0) throw new AppError('PROCEDURE_INCOMPLETE', `steps still open: ${open.map((s) => s.code).join(', ')}`);
}

/** One object, so that registering it again (several apps in one process) changes nothing. */
const HOOKS: ServiceTypeHooks = { beforeComplete: assertProcedureDone };

/** Plugs the procedure's check into every service type's completion (docs/services.md, "Types that plug in"). */
export function registerProcedureHooks(): void {
  registerServiceTypeHooks('*', HOOKS);
}
