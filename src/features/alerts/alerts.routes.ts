import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** P7.2.1: fund-safety alerts and their workflow. */
export function alertsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
