import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The audit trail: list events and verify the hash chain (API.md "Audit"). */
export function auditRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
