import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export interface Receipt {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, any>;
  deliveryId: string;
  signatureOk: boolean;
  receivedAt: number;
  answeredAt?: number;
  answeredStatus?: number;
}

/** How the receiver answers the n-th request it gets (1-based): a status, after a delay, or never. */
export type Behaviour = (n: number) => { status: number; delayMs?: number } | 'hang';

/**
 * A court system's webhook endpoint on 127.0.0.1 (node:http), for the tests: it checks each
 * signature as a receiver would (HMAC-SHA256 of the raw body, its own code, not the app's), records
 * every request, and can be stopped and started again on the same port, answer slowly or fail.
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  behaviour: Behaviour = () => ({ status: 204 });
  private server?: Server;
  private sockets = new Set<Socket>();
  private port = 0;
  private requests = 0;

  constructor(readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/mediation`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections (open ones are cut). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Receipts the receiver acknowledged with a 2xx. */
  acknowledged(): Receipt[] {
    return this.receipts.filter((r) => r.answeredStatus !== undefined && r.answeredStatus >= 200 && r.answeredStatus < 300);
  }

  /** How many times each event id was acknowledged. */
  countsById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.acknowledged()) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    return counts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
    const signatureOk = req.method === 'POST' && given.length === expected.length && timingSafeEqual(given, expected);
    const payload = JSON.parse(raw.toString('utf8'));
    const receipt: Receipt = {
      id: payload.id,
      type: payload.type,
      occurredAt: payload.occurredAt,
      data: payload.data,
      deliveryId: String(req.headers['x-webhook-delivery'] ?? ''),
      signatureOk,
      receivedAt: Date.now(),
    };
    this.receipts.push(receipt);
    this.requests += 1;
    const how = signatureOk ? this.behaviour(this.requests) : { status: 401 };
    if (how === 'hang') return; // never answers; the sender's timeout ends it
    if (how.delayMs) await new Promise((r) => setTimeout(r, how.delayMs));
    if (res.destroyed) return;
    receipt.answeredAt = Date.now();
    receipt.answeredStatus = how.status;
    res.writeHead(how.status).end();
  }
}

export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
