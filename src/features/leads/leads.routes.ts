import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The leads routes of issue 3. */
export function leadsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
