import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** P2.2.3, P7.2: the analysis rule sets, their dry run and activation. */
export function rulesRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
