// The walking skeleton end to end, over HTTP against the local stack (DynamoDB Local, fauxqs, every
// function of the manifest, pollers and scheduler): a house signal goes in once, and each
// auto-trading demo user ends up with exactly one position for it, visible to that user only.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { ReplayMarket } from '../../shared/adapters/paper/replay-market.js';
import { type SignalInput, signalSchema } from '../../shared/core/signals/signal.js';
import { signHouseRequest } from '../../shared/http/request-signature.js';
import { eventually } from '../support/eventually.js';
import { callStack, type StackAnswer } from '../support/stack-http.js';
import { registerTestSecret } from '../support/test-secrets.js';

let stack: LocalStack;
/** Everything written to stdout/stderr while the stack runs (handlers log at INFO), scanned for secrets. */
const logged: string[] = [];
const originalWrites = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
const issuedTokens: string[] = [];
/** The e2e-1 signal as posted: its target is derived from the replayed price at that moment. */
let postedE2e: SignalInput | undefined;

beforeAll(async () => {
  const capture = (chunk: unknown) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: true, seed: true, quiet: false });
  // No captured line of the whole suite may contain them (log-scan.global-setup.ts).
  for (const name of ['HOUSE_ENGINE_TOKEN', 'HOUSE_SIGNING_SECRET'] as const) {
    registerTestSecret(stack.env[name] ?? '');
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
});

function call(
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
) {
  return callStack(stack.url, method, path, {
    body: options.body,
    bearer: options.token,
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/**
 * POST /api/house-signals/ingest as the house engine: the bearer token, and the body signed with
 * the signing secret at `signedAt` (now by default; `false` sends no signature). `sent` replaces the
 * body after signing.
 */
function ingest(
  signal: unknown,
  options: { token?: string; signedAt?: Date | false; sent?: string } = {},
): Promise<StackAnswer> {
  const body = typeof signal === 'string' ? signal : JSON.stringify(signal);
  const signedAt = options.signedAt ?? new Date();
  return call('POST', '/api/house-signals/ingest', {
    token: options.token ?? stack.env.HOUSE_ENGINE_TOKEN,
    body: options.sent ?? body,
    headers:
      signedAt === false ? {} : { ...signHouseRequest(stack.env.HOUSE_SIGNING_SECRET ?? '', body, signedAt) },
  });
}

/** A long BTC/USDT signal with its target ~1% above and its stop ~1% below the replayed price now. */
function houseSignal(signalId: string): SignalInput {
  const market = new ReplayMarket(resolve(stack.env.PAPER_MARKET_DIR ?? 'test/fixtures/market'), 60);
  const price = Number(market.candleAt('BTC/USDT', new Date()).close);
  return signalSchema.parse({
    signalId,
    source: 'house',
    symbol: 'BTC/USDT',
    side: 'long',
    entry: { type: 'market' },
    targets: [{ price: (price * 1.01).toFixed(2) }],
    stopLoss: (price * 0.99).toFixed(2),
    timeframe: '5m',
    createdAt: new Date().toISOString(),
  });
}

async function login(email: string): Promise<string> {
  const { status, body } = await call('POST', '/api/dev/login', { body: { email } });
  expect(status).toBe(200);
  expect(typeof body.accessToken).toBe('string');
  issuedTokens.push(body.accessToken as string);
  return body.accessToken as string;
}

/** The view names the signal by its key, `<source>:<signalId>`. */
const forE2eSignal = (p: PositionView) => p.signalKey === 'house:e2e-1';

interface PositionView {
  readonly positionId: string;
  readonly signalKey: string;
  readonly accountId: string;
}

async function positionsOf(token: string): Promise<PositionView[]> {
  const { status, body } = await call('GET', '/api/positions', { token });
  expect(status).toBe(200);
  return body.items as PositionView[];
}

describe('walking skeleton', () => {
  it('reports the table and every queue reachable on GET /api/health', async () => {
    const { status, body } = await call('GET', '/api/health');
    expect(status).toBe(200);
    expect(body.table).toMatchObject({ status: 'ok', tableStatus: 'ACTIVE' });
    const queues = body.queues as Record<string, { status: string }>;
    expect(Object.keys(queues).sort()).toEqual(['botTicks', 'execution', 'notifications', 'signals']);
    for (const queue of Object.values(queues)) expect(queue.status).toBe('ok');
  });

  it('refuses a signal with a wrong house token: 401 with a code', async () => {
    const { status, body } = await ingest(houseSignal('e2e-wrong-token'), {
      token: 'not-the-house-token-not-the-house-token-000',
    });
    expect(status).toBe(401);
    expect(body.code).toBe('AUTH.INVALID_HOUSE_TOKEN');
  });

  it('refuses an unsigned signal: 401 AUTH.SIGNATURE_REQUIRED', async () => {
    const { status, body } = await ingest(houseSignal('e2e-unsigned'), { signedAt: false });
    expect(status).toBe(401);
    expect(body.code).toBe('AUTH.SIGNATURE_REQUIRED');
  });

  it('refuses a signature older than 300 s: 401 AUTH.SIGNATURE_EXPIRED', async () => {
    const { status, body } = await ingest(houseSignal('e2e-stale'), {
      signedAt: new Date(Date.now() - 301_000),
    });
    expect(status).toBe(401);
    expect(body.code).toBe('AUTH.SIGNATURE_EXPIRED');
    expect(body.message).toContain('300 seconds');
  });

  it('refuses a body altered after signing: 401 AUTH.INVALID_SIGNATURE', async () => {
    const signed = houseSignal('e2e-altered');
    const altered = JSON.stringify({ ...signed, side: 'short', stopLoss: signed.targets[0]?.price });
    const { status, body } = await ingest(signed, { sent: altered });
    expect(status).toBe(401);
    expect(body.code).toBe('AUTH.INVALID_SIGNATURE');
  });

  it('refuses a malformed signal: 400 with a code', async () => {
    const missingTargets = { ...houseSignal('e2e-malformed'), targets: [] };
    const notJson = await ingest('{"signalId":');
    const invalid = await ingest(missingTargets);
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toEqual(expect.any(String));
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toEqual(expect.any(String));
  });

  it('accepts a house signal once and answers its signed replay as a duplicate', async () => {
    const signal = houseSignal('e2e-1');
    postedE2e = signal;
    const body = JSON.stringify(signal);
    const headers = { ...signHouseRequest(stack.env.HOUSE_SIGNING_SECRET ?? '', body, new Date()) };
    const request = { token: stack.env.HOUSE_ENGINE_TOKEN, body, headers };
    const first = await call('POST', '/api/house-signals/ingest', request);
    // The very same request again (a captured one, replayed within the window): harmless.
    const replay = await call('POST', '/api/house-signals/ingest', request);
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    expect(replay.status).toBe(200);
    expect(replay.body.duplicate).toBe(true);
  });

  it('opens exactly one position per auto-trading demo user, each visible only to its owner', async () => {
    const traders = stack.seededUsers.filter((u) => u.autoTrade);
    const bystanders = stack.seededUsers.filter((u) => !u.autoTrade);
    expect(traders.length).toBeGreaterThanOrEqual(2);
    const tokens = new Map<string, string>();
    for (const user of stack.seededUsers) tokens.set(user.userId, await login(user.email));
    const tokenOf = (userId: string) => tokens.get(userId) ?? '';

    for (const user of traders) {
      await eventually(
        `${user.email}'s position for e2e-1`,
        async () => ((await positionsOf(tokenOf(user.userId))).some(forE2eSignal) ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 250 },
      );
    }
    // Give a duplicate (a redelivery, the repeated ingest) time to show up before counting.
    await new Promise((r) => setTimeout(r, 1_500));

    const everyones = new Map<string, PositionView[]>();
    for (const user of stack.seededUsers) everyones.set(user.userId, await positionsOf(tokenOf(user.userId)));
    for (const user of traders) {
      expect((everyones.get(user.userId) ?? []).filter(forE2eSignal)).toHaveLength(1);
    }
    for (const user of bystanders) {
      expect((everyones.get(user.userId) ?? []).filter(forE2eSignal)).toEqual([]);
    }
    // No position, and no account, appears in two users' lists.
    const owners = new Map<string, string>();
    for (const [userId, positions] of everyones) {
      for (const p of positions) {
        for (const key of [`position:${p.positionId}`, `account:${p.accountId}`]) {
          expect(owners.get(key) ?? userId).toBe(userId);
          owners.set(key, userId);
        }
      }
    }
  });

  it('opens each position with a filled market base order and a resting take-profit at the first target', async () => {
    const alice = stack.seededUsers.find((u) => u.autoTrade);
    if (!alice) throw new Error('no auto-trading demo user');
    const token = await login(alice.email);
    const position = await eventually(
      'an open position with its take-profit',
      async () => {
        const found = (await positionsOf(token)).find(forE2eSignal) as
          | (PositionView & Record<string, unknown>)
          | undefined;
        return found && found.status === 'open' && Array.isArray(found.orders) && found.orders.length === 2
          ? found
          : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const orders = position.orders as { kind: string; status: string; type: string; price?: string }[];
    expect(orders.map((o) => [o.kind, o.type, o.status])).toEqual([
      ['base', 'market', 'filled'],
      ['take-profit', 'limit', 'open'],
    ]);
    expect(orders[1]?.price).toBe(postedE2e?.targets[0]?.price);
    expect(Number(position.openAmount)).toBeGreaterThan(0);
    expect(Number(position.averageEntry)).toBeGreaterThan(0);
  });

  it('lists the signal in the feed, marked fanned-out once every command is sent', async () => {
    const user = stack.seededUsers[0];
    if (!user) throw new Error('no demo user');
    const token = await login(user.email);
    // The status write is the fan-out's last step: a function missing a grant fails here.
    const entry = await eventually(
      'house:e2e-1 fanned out in the feed',
      async () => {
        const { status, body } = await call('GET', '/api/signals', { token });
        expect(status).toBe(200);
        const found = (body.items as { signalKey: string; status: string; fannedOutTo?: number }[]).find(
          (s) => s.signalKey === 'house:e2e-1',
        );
        return found?.status === 'fanned-out' ? found : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(entry).toMatchObject({ status: 'fanned-out' });
  });

  it('shows every bot beating through the tick dispatcher and the tick queue', async () => {
    const beats = await eventually(
      'a heartbeat from each bot and each bot rule',
      async () => {
        const { body } = await call('GET', '/api/health');
        const all = body.heartbeats as { name: string; status: string }[];
        return all.every((h) => h.status === 'ok') ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(beats.map((h) => h.name)).toEqual(
      expect.arrayContaining(['schedule:bot-scalping', 'bot:scalping', 'bot:trend']),
    );
  });

  it('never writes a secret or a token to the logs', () => {
    const text = logged.join('');
    expect(text.length).toBeGreaterThan(1000); // the handlers did log
    const privateJwk = JSON.parse(stack.env.JWT_PRIVATE_KEY ?? '{}') as { d?: string };
    const secrets = [
      stack.env.HOUSE_ENGINE_TOKEN,
      stack.env.HOUSE_SIGNING_SECRET,
      stack.env.LOCAL_MASTER_KEY,
      privateJwk.d,
      ...issuedTokens,
    ];
    expect(secrets.every((s) => typeof s === 'string' && s.length > 20)).toBe(true);
    for (const secret of secrets) expect(text.includes(secret as string)).toBe(false);
  });

  it('answers a malformed cursor and a non-house source with 400 and a code, never 500', async () => {
    const user = stack.seededUsers[0];
    if (!user) throw new Error('no demo user');
    const cursor = await call('GET', '/api/positions?cursor=abc', { token: await login(user.email) });
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('QUERY.INVALID_CURSOR');
    const telegram = { ...houseSignal('e2e-not-house'), source: 'telegram' };
    const source = await ingest(telegram);
    expect(source.status).toBe(400);
    expect(source.body.code).toBe('SIGNAL.SOURCE_NOT_HOUSE');
  });

  it('refuses GET /api/positions without a token: 401', async () => {
    const { status, body } = await call('GET', '/api/positions');
    expect(status).toBe(401);
    expect(body.code).toEqual(expect.any(String));
  });
});
