import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** Customer search, the customer page and the audited reveal of identifiers. */
export function customersRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
