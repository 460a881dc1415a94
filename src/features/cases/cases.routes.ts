import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The cases routes of issue 3. */
export function casesRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
