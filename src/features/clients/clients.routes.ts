import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** API clients (other bank systems) and their keys. */
export function clientsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
