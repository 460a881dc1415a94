import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** The training routes of issue 4. */
export function trainingRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
