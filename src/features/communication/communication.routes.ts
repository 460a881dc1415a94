import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The communication routes of issue 4. */
export function communicationRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
