import { z } from 'zod';
import { TEAM_ROLES } from '../../domain/roles.js';
import {
  SERVICE_CATALOGUE,
  type ServiceCode,
  type ServiceDocument,
  type ServiceTypeDefinition,
  isServiceCode,
  serviceDefinition,
} from '../../domain/service-catalogue.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { ServiceTypeTable } from '../../platform/db/tables/services.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { findServiceType, insertMissingServiceTypes, listServiceTypes, typeInUse, updateServiceType } from './services.repository.js';
import type { ServiceTypeChange } from './services.schemas.js';

// The catalogue (P4, P6.1.1, P6.2.2): seeded from domain/service-catalogue.ts, then the bank's to set.

const Documents = z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() }));

/** A type of the catalogue as the engine uses it: the bank's settings and the code's detail fields. */
export interface ServiceType {
  code: ServiceCode;
  nameZh: string;
  nameEn: string;
  ownerRole: ServiceTypeDefinition['ownerRole'];
  needsApproval: boolean;
  standardHours: number;
  priorityHours: number;
  documentsStandard: ServiceDocument[];
  documentsReduced: ServiceDocument[];
  active: boolean;
  fields: ServiceTypeDefinition['fields'];
  clause: string;
  version: number;
}

function toType(row: ServiceTypeTable): ServiceType | undefined {
  if (!isServiceCode(row.code)) return undefined;
  const def = serviceDefinition(row.code);
  // Only team roles are stored (changeServiceType takes no other); the code's owner otherwise.
  const owner = TEAM_ROLES.find((r) => r === row.owner_role) ?? def.ownerRole;
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    ownerRole: owner,
    needsApproval: row.needs_approval === 1,
    standardHours: row.standard_hours,
    priorityHours: row.priority_hours,
    documentsStandard: Documents.parse(JSON.parse(row.documents_standard)),
    documentsReduced: Documents.parse(JSON.parse(row.documents_reduced)),
    active: row.active === 1,
    fields: def.fields,
    clause: def.clause,
    version: row.version,
  };
}

/** Adds the catalogue's types the database lacks (start-up, seed); types the bank changed stay as they are. */
export async function ensureServiceTypes(ctx: AppContext, db: Executor): Promise<number> {
  const at = ctx.now().toISOString();
  return insertMissingServiceTypes(
    db,
    SERVICE_CATALOGUE.map((d) => ({
      code: d.code,
      name_zh: d.zh,
      name_en: d.en,
      owner_role: d.ownerRole,
      needs_approval: d.needsApproval ? 1 : 0,
      standard_hours: d.standardHours,
      priority_hours: d.priorityHours,
      documents_standard: JSON.stringify(d.documentsStandard),
      documents_reduced: JSON.stringify(d.documentsReduced),
      // The types other work delivers (credit, partners, appointments) wait switched off until it lands.
      active: d.delivered ? 1 : 0,
      updated_at: at,
      updated_by: null,
      version: 1,
    })),
  );
}

/** Every type of the catalogue. */
export async function serviceTypes(db: Executor): Promise<ServiceType[]> {
  return (await listServiceTypes(db)).flatMap((r) => {
    const t = toType(r);
    return t ? [t] : [];
  });
}

/** One type, or 404. */
export async function serviceType(db: Executor, code: string): Promise<ServiceType> {
  const row = await findServiceType(db, code);
  const t = row ? toType(row) : undefined;
  if (!t) throw new AppError('NOT_FOUND', 'no such service type');
  return t;
}

/** The API view of a type. */
export function typeView(t: ServiceType) {
  return {
    code: t.code,
    name: { zh: t.nameZh, en: t.nameEn },
    ownerRole: t.ownerRole,
    needsApproval: t.needsApproval,
    standardHours: t.standardHours,
    priorityHours: t.priorityHours,
    documentsStandard: t.documentsStandard,
    documentsReduced: t.documentsReduced,
    fields: t.fields.map((f) => ({ name: f.name, kind: f.kind, required: f.required, ...(f.options ? { options: [...f.options] } : {}) })),
    active: t.active,
    version: t.version,
  };
}

/**
 * Changes a type (admins): names, owning role, approval, handling times, document lists, switched
 * on or off. A type is never deleted: one in use is switched off, so its requests keep their type.
 */
export async function changeServiceType(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  code: string,
  expectedVersion: number,
  change: ServiceTypeChange,
) {
  const current = await serviceType(db, code);
  if (current.version !== expectedVersion) throw new AppError('PRECONDITION_FAILED');
  const standard = change.standardHours ?? current.standardHours;
  const priority = change.priorityHours ?? current.priorityHours;
  if (priority > standard) {
    throw new AppError('VALIDATION_FAILED', 'the priority time cannot be longer than the standard time', {
      errors: [{ path: 'body.priorityHours', message: 'must not exceed standardHours', reason: 'exceeds' }],
    });
  }
  const ok = await updateServiceType(db, code, expectedVersion, {
    ...(change.nameZh !== undefined ? { name_zh: change.nameZh } : {}),
    ...(change.nameEn !== undefined ? { name_en: change.nameEn } : {}),
    ...(change.ownerRole !== undefined ? { owner_role: change.ownerRole } : {}),
    ...(change.needsApproval !== undefined ? { needs_approval: change.needsApproval ? 1 : 0 } : {}),
    ...(change.standardHours !== undefined ? { standard_hours: change.standardHours } : {}),
    ...(change.priorityHours !== undefined ? { priority_hours: change.priorityHours } : {}),
    ...(change.documentsStandard !== undefined ? { documents_standard: JSON.stringify(change.documentsStandard) } : {}),
    ...(change.documentsReduced !== undefined ? { documents_reduced: JSON.stringify(change.documentsReduced) } : {}),
    ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
    updated_at: ctx.now().toISOString(),
    updated_by: actor.id,
  });
  if (!ok) throw new AppError('PRECONDITION_FAILED');
  await recordAudit(
    db,
    actor,
    {
      action: 'service_type.changed',
      target: { type: 'service_type', id: code },
      detail: { fields: Object.keys(change), inUse: await typeInUse(db, code) },
    },
    ctx.now(),
  );
  return typeView(await serviceType(db, code));
}
