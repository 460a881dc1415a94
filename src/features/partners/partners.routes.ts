import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The partners routes of issue 3. */
export function partnersRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
