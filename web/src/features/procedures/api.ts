import type { z } from 'zod';
import type {
  IncidentBody,
  IncidentChangeBody,
  IncidentList,
  IncidentView,
} from '../../../../src/features/procedures/incidents.schemas.js';
import type { ProcedureBody, RequestProcedureView, TypeProcedureView } from '../../../../src/features/procedures/procedures.schemas.js';

export { STEP_ROLES } from '../../../../src/domain/procedures.js';

/** The procedures API's shapes (procedures.schemas.ts, incidents.schemas.ts), as the pages read them. */
export type RequestProcedure = z.output<typeof RequestProcedureView>;
export type TypeProcedure = z.output<typeof TypeProcedureView>;
export type ProcedureInput = z.input<typeof ProcedureBody>;
export type Incident = z.output<typeof IncidentView>;
export type IncidentPage = z.output<typeof IncidentList>;
export type IncidentInput = z.input<typeof IncidentBody>;
export type IncidentChange = z.input<typeof IncidentChangeBody>;
export type IncidentStatus = Incident['status'];

/** An incident's statuses in order (the schema's list, kept here so the bundle takes no server code). */
export const INCIDENT_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const satisfies readonly IncidentStatus[];

/** The address of an incident's page. */
export function incidentLink(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}
