import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The teams routes of issue 4. */
export function teamsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
