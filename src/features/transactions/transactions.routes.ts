import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http/context.js';

/** P2.2.3: transaction batches (upload, progress, bad rows). */
export function transactionsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
