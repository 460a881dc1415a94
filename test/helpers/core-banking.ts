import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One instruction as the fake core banking received it. */
export interface ReceivedInstruction {
  instruction: string;
  idempotencyKey: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

/**
 * A fake core-banking instruction endpoint over real HTTP (docs/core-banking.md): records what it
 * receives, answers 409 to a repeated idempotency key as the real one does, and can be told to
 * answer the next requests with another status (an outage, a refusal).
 */
export interface FakeCoreBanking {
  url: string;
  received: ReceivedInstruction[];
  /** Answers the next `times` requests with `status` instead of booking them. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeCoreBanking(): Promise<FakeCoreBanking> {
  const received: ReceivedInstruction[] = [];
  const booked = new Set<string>();
  let failures: { status: number; times: number } | null = null;
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      if (failures && failures.times > 0) {
        failures.times -= 1;
        res.writeHead(failures.status).end();
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const instruction = /\/instructions\/([a-z_]+)$/.exec(req.url ?? '')?.[1] ?? '';
      if (booked.has(`${instruction}:${key}`)) {
        res.writeHead(409).end();
        return;
      }
      booked.add(`${instruction}:${key}`);
      received.push({
        instruction,
        idempotencyKey: key,
        authorization: req.headers.authorization ?? null,
        // A test fixture: Lifeline sends JSON objects only.
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: `CB-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // listen() on a TCP port answers an AddressInfo.
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(status, times = 1) {
      failures = { status, times };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
