// The HTTP side every fake exchange shares: a loopback server, a route table, a log of the requests
// it received and faults injected on demand. An exchange's fake supplies its routes, how it checks a
// request's signature and how it words each fault in its own error format.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body as sent (signatures cover it byte for byte). */
  readonly body: string;
  /** Query string as sent, without the '?' (signatures cover it byte for byte). */
  readonly rawQuery: string;
  readonly receivedAt: number;
}

export interface FakeResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeRoute {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly path: string;
  /** Private routes pass through the dialect's signature check first. */
  readonly signed: boolean;
  readonly handle: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;
}

/** Faults an exchange answers in its own words. */
export type WordedFault = 'rate-limit' | 'server-error' | 'timestamp' | 'insufficient-balance';

export type Fault =
  /** Answer normally, this much later. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Never answer; the connection is closed after `ms` (longer than the client's timeout). */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** HTTP 429 with a Retry-After header, in seconds. */
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'server-error'; readonly status?: number }
  /** The request's timestamp is outside the exchange's receive window. */
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'insufficient-balance' }
  /** The request is carried out (an order is accepted), then the connection drops without a reply. */
  | { readonly kind: 'lose-reply' };

export interface FaultRule {
  readonly fault: Fault;
  /** Which requests it hits; default every route. */
  readonly method?: string;
  readonly path?: string | RegExp;
  /** How many matching requests it hits; default 1. */
  readonly times?: number;
}

export interface ExchangeDialect {
  /** null when the signature, key and timestamp check out; otherwise the exchange's auth error. */
  authenticate(request: FakeRequest): FakeResponse | null;
  /** The exchange's reply for a fault it words itself (`request` tells e.g. spot from futures). */
  fault(kind: WordedFault, fault: Fault, request: FakeRequest): FakeResponse;
  /** The reply for a path with no route. */
  notFound(request: FakeRequest): FakeResponse;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FakeExchangeServer {
  readonly requests: FakeRequest[] = [];
  private readonly rules: ActiveRule[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    private readonly routes: readonly FakeRoute[],
    private readonly dialect: ExchangeDialect,
  ) {}

  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.rules.length = 0;
  }

  /** Requests received on a route, e.g. to count order placements. */
  requestsTo(method: string, path: string): FakeRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.serve(req, res);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(request: FakeRequest): Fault | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.method && rule.method !== request.method) continue;
      if (typeof rule.path === 'string' && rule.path !== request.path) continue;
      if (rule.path instanceof RegExp && !rule.path.test(request.path)) continue;
      active.remaining -= 1;
      return rule.fault;
    }
    return undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
    }
    const rawUrl = req.url ?? '/';
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      rawQuery: rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '',
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    const fault = this.takeFault(request);
    let answer: FakeResponse;
    if (fault?.kind === 'timeout') {
      await sleep(fault.ms);
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'latency') await sleep(fault.ms);
    if (fault && fault.kind !== 'latency' && fault.kind !== 'lose-reply') {
      answer = this.dialect.fault(fault.kind, fault, request);
    } else {
      answer = await this.route(request);
    }
    if (fault?.kind === 'lose-reply') {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }

  private async route(request: FakeRequest): Promise<FakeResponse> {
    const route = this.routes.find((r) => r.method === request.method && r.path === request.path);
    if (!route) return this.dialect.notFound(request);
    if (route.signed) {
      const refusal = this.dialect.authenticate(request);
      if (refusal) return refusal;
    }
    return route.handle(request);
  }
}
