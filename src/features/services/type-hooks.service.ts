import type { Executor } from '../../platform/db/database.js';
import type { ServiceRequestTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import type { FieldError } from '../../platform/http/errors.js';
import type { CaseFacts } from '../case-access/case-access.service.js';

/**
 * What a feature that delivers a service type adds to the engine's steps (docs/services.md,
 * "Types that plug in"). Credit, partners and appointments depend on services, never the other
 * way round: they register their hooks here when the app is built, and the engine calls them in
 * the step's transaction. A hook refuses by throwing an AppError; field problems of a new
 * request's details are answered together as 422.
 */
export interface ServiceTypeHooks {
  /** A new request's details beyond the catalogue's field rules (e.g. an emergency loan's cap and shortfall). */
  validate?(ctx: AppContext, db: Executor, facts: CaseFacts, details: Record<string, unknown>, actor: Actor): Promise<FieldError[]>;
  /** Before a supervisor's decision (e.g. 409 while the risk officer has not assessed it). */
  beforeDecide?(ctx: AppContext, db: Executor, actor: Actor, request: ServiceRequestTable, approve: boolean): Promise<void>;
  /** After approval, in the same transaction (e.g. the instruction to core banking). */
  onApproved?(ctx: AppContext, db: Executor, actor: Actor, request: ServiceRequestTable): Promise<void>;
  /** Before completion (e.g. 409 while a step of the procedure is open). */
  beforeComplete?(ctx: AppContext, db: Executor, actor: Actor, request: ServiceRequestTable): Promise<void>;
  /** After cancellation, in the same transaction (e.g. withdrawing what was sent out). */
  onCancelled?(ctx: AppContext, db: Executor, actor: Actor, request: ServiceRequestTable): Promise<void>;
}

type HookName = keyof ServiceTypeHooks;

const byType = new Map<string, ServiceTypeHooks[]>();
/** Hooks that apply to every type (e.g. the procedure's steps). */
const everyType: ServiceTypeHooks[] = [];

/**
 * Adds a feature's hooks for one service type, or for every type with `'*'`. Registering the same
 * object again changes nothing, so building several apps in one process (tests) is harmless.
 */
export function registerServiceTypeHooks(typeCode: string, hooks: ServiceTypeHooks): void {
  const list = typeCode === '*' ? everyType : (byType.get(typeCode) ?? []);
  if (!list.includes(hooks)) list.push(hooks);
  if (typeCode !== '*') byType.set(typeCode, list);
}

/** The hooks that apply to a type, those for every type first. */
export function hooksOf<K extends HookName>(typeCode: string, name: K): NonNullable<ServiceTypeHooks[K]>[] {
  return [...everyType, ...(byType.get(typeCode) ?? [])].flatMap((h) => {
    const fn = h[name];
    return fn ? [fn] : [];
  });
}
