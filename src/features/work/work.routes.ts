import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The work routes of issue 4. */
export function workRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
