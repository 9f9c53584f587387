// A loopback fake of Resend's `POST /emails`: checks the bearer key and the payload shape the way
// Resend does, records every accepted mail, and answers 422 (validation) or 429 (rate limit) on
// demand in Resend's error format. Point ResendMailer (RESEND_BASE_URL) at `start()`'s URL.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SentEmail {
  readonly id: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly tags?: { name: string; value: string }[];
  /** The whole JSON body as received. */
  readonly body: Record<string, unknown>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

export type ResendFault =
  | { readonly kind: 'validation'; readonly message?: string }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number }
  /** A misbehaving upstream that echoes the caller's Authorization header in its error. */
  | { readonly kind: 'echo-key' };

const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

export class FakeResend {
  readonly sent: SentEmail[] = [];
  /** Every request, accepted or not. */
  readonly requests: { method: string; path: string; headers: Record<string, string>; body: string }[] = [];
  private readonly faults: ResendFault[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(readonly apiKey = `re_test_${randomUUID().replaceAll('-', '')}`) {}

  /** The next request is answered with this fault (queued, one request each). */
  fail(fault: ResendFault): void {
    this.faults.push(fault);
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

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path, headers, body });
    const reply = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(payload));
    };
    const error = (statusCode: number, name: string, message: string, extra: Record<string, string> = {}) =>
      reply(statusCode, { statusCode, name, message }, extra);

    if (req.method !== 'POST' || path !== '/emails')
      return error(404, 'not_found', 'The requested endpoint does not exist.');
    const auth = headers.authorization ?? '';
    if (!auth.startsWith('Bearer '))
      return error(401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (auth !== `Bearer ${this.apiKey}`) return error(403, 'invalid_api_key', 'API key is invalid');

    const fault = this.faults.shift();
    if (fault?.kind === 'rate-limit') {
      const seconds = String(fault.retryAfterSeconds ?? 1);
      return error(
        429,
        'rate_limit_exceeded',
        'Too many requests. You can only make 2 requests per second.',
        {
          'retry-after': seconds,
        },
      );
    }
    if (fault?.kind === 'validation') {
      return error(422, 'validation_error', fault.message ?? 'Invalid `to` field.');
    }
    if (fault?.kind === 'echo-key') {
      return error(422, 'validation_error', `Request with header "${auth}" was refused.`);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return error(422, 'validation_error', 'Invalid JSON body.');
    }
    const mail = parsed as Record<string, unknown>;
    const problem = this.validate(mail);
    if (problem) return error(422, 'validation_error', problem);
    const id = randomUUID();
    const to = typeof mail.to === 'string' ? [mail.to] : (mail.to as string[]);
    this.sent.push({
      id,
      from: mail.from as string,
      to,
      subject: mail.subject as string,
      ...(typeof mail.text === 'string' ? { text: mail.text } : {}),
      ...(typeof mail.html === 'string' ? { html: mail.html } : {}),
      ...(Array.isArray(mail.tags) ? { tags: mail.tags as { name: string; value: string }[] } : {}),
      body: mail,
      headers,
    });
    return reply(200, { id });
  }

  /** Resend's own checks on the fields this platform sends. */
  private validate(mail: Record<string, unknown>): string | null {
    if (typeof mail.from !== 'string' || mail.from.length === 0) return 'Missing `from` field.';
    const to = mail.to;
    const recipients = typeof to === 'string' ? [to] : Array.isArray(to) ? to : null;
    if (!recipients || recipients.length === 0 || recipients.length > 50) return 'Invalid `to` field.';
    if (!recipients.every((r) => typeof r === 'string' && /^[^@\s]+@[^@\s]+$/.test(r))) {
      return 'Invalid `to` field. The email address needs to follow the `email@example.com` format.';
    }
    if (typeof mail.subject !== 'string' || mail.subject.length === 0) return 'Missing `subject` field.';
    if (typeof mail.text !== 'string' && typeof mail.html !== 'string')
      return 'Missing `html` or `text` field.';
    if (mail.tags !== undefined) {
      const tags = mail.tags as unknown;
      const ok =
        Array.isArray(tags) &&
        tags.every(
          (t) =>
            typeof t === 'object' &&
            t !== null &&
            TAG_PART.test(String((t as Record<string, unknown>).name)) &&
            TAG_PART.test(String((t as Record<string, unknown>).value)),
        );
      if (!ok) return 'Tags should only contain ASCII letters, numbers, underscores, or dashes.';
    }
    return null;
  }
}

export async function startFakeResend(apiKey?: string): Promise<{ fake: FakeResend; url: string }> {
  const fake = new FakeResend(apiKey);
  return { fake, url: await fake.start() };
}
