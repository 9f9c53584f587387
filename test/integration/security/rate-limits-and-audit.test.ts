// The DynamoDB rate limiter and audit log against DynamoDB Local: fixed windows counted atomically,
// reset, and an append-only audit trail read newest first with a cursor that stays in its partition.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { DynamoAuditLog, InvalidCursor } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import type { AuditEvent, RateRule } from '../../../shared/ports/security.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
let limiter: DynamoRateLimiter;
let audit: DynamoAuditLog;

beforeAll(async () => {
  services = await startLocalServices({ setProcessEnv: false });
  limiter = new DynamoRateLimiter(services.db, services.tableName);
  audit = new DynamoAuditLog(services.db, services.tableName);
});
afterAll(async () => {
  await services?.stop();
});

// A window of 60 s starting at a round minute: 12:00:00 .. 12:01:00.
const windowStart = new Date('2030-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(windowStart.getTime() + seconds * 1000);

describe('DynamoRateLimiter', () => {
  const rule: RateRule = { name: 'test-login-ip', limit: 3, windowSeconds: 60 };

  it('allows `limit` hits, then refuses with the seconds left in the window', async () => {
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.consume(rule, '203.0.113.7', at(10)));
    expect(decisions).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    expect(await limiter.consume(rule, '203.0.113.7', at(10))).toEqual({
      allowed: false,
      retryAfterSeconds: 50,
    });
    expect(await limiter.consume(rule, '203.0.113.7', at(59.5))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    // Another key has its own count.
    expect(await limiter.consume(rule, '203.0.113.8', at(10))).toEqual({ allowed: true, remaining: 2 });
    // The next window starts afresh.
    expect(await limiter.consume(rule, '203.0.113.7', at(60))).toEqual({ allowed: true, remaining: 2 });
  });

  it('stores the window with a TTL just after its end, and never counts past the limit', async () => {
    const stored = await services.db.send(
      new GetCommand({
        TableName: services.tableName,
        Key: keys.rateWindow(rule.name, '203.0.113.7', windowStart.getTime() / 1000),
      }),
    );
    const end = windowStart.getTime() / 1000 + 60;
    expect(stored.Item?.hits).toBe(3);
    expect(stored.Item?.expiresAt).toBeGreaterThan(end);
    expect(stored.Item?.expiresAt).toBeLessThanOrEqual(end + 3600);
  });

  it('counts atomically: of 20 concurrent hits with a limit of 10, exactly 10 pass', async () => {
    const burst: RateRule = { name: 'test-burst', limit: 10, windowSeconds: 300 };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => limiter.consume(burst, 'user-1', at(5))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(10);
    const remaining = decisions.flatMap((d) => (d.allowed ? [d.remaining] : [])).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reset forgets the current window', async () => {
    const failures: RateRule = { name: 'test-login-fail', limit: 2, windowSeconds: 900 };
    await limiter.consume(failures, 'acct-1', at(1));
    await limiter.consume(failures, 'acct-1', at(2));
    expect((await limiter.consume(failures, 'acct-1', at(3))).allowed).toBe(false);
    await limiter.reset(failures, 'acct-1', at(4));
    expect(await limiter.consume(failures, 'acct-1', at(5))).toEqual({ allowed: true, remaining: 1 });
  });

  it('keeps keys with the layout separator or of any length apart and bounded', async () => {
    const r: RateRule = { name: 'test-odd-keys', limit: 1, windowSeconds: 60 };
    const long = 'x'.repeat(5000);
    expect((await limiter.consume(r, long, at(1))).allowed).toBe(true);
    expect((await limiter.consume(r, long, at(1))).allowed).toBe(false);
    expect((await limiter.consume(r, 'a#b', at(1))).allowed).toBe(true);
    expect((await limiter.consume(r, 'a', at(1))).allowed).toBe(true);
  });

  it('refuses a malformed rule instead of limiting nothing', async () => {
    await expect(limiter.consume({ name: 'bad', limit: 0, windowSeconds: 60 }, 'k', at(0))).rejects.toThrow(
      /invalid rate rule/,
    );
    await expect(
      limiter.consume({ name: 'Bad#Name', limit: 1, windowSeconds: 60 }, 'k', at(0)),
    ).rejects.toThrow(/invalid rate rule/);
  });
});

describe('DynamoAuditLog', () => {
  const event = (userId: string, at: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
    userId,
    type: 'login.succeeded',
    at,
    actor: 'user',
    ...extra,
  });

  it('appends events and lists them newest first, page by page with a cursor', async () => {
    const times = ['2030-01-01T10:00:00.000Z', '2030-01-01T10:00:01.000Z', '2030-01-01T10:00:02.000Z'];
    await audit.append(event('audit-a', times[1] as string, { ip: '198.51.100.1' }));
    await audit.append(
      event('audit-a', times[0] as string, { type: 'user.registered', details: { plan: 'free' } }),
    );
    await audit.append(
      event('audit-a', times[2] as string, { type: 'login.failed', details: { reason: 'bad' } }),
    );
    await audit.append(event('audit-b', times[2] as string));

    const first = await audit.listForUser('audit-a', { limit: 2 });
    expect(first.items).toEqual([
      { userId: 'audit-a', type: 'login.failed', at: times[2], actor: 'user', details: { reason: 'bad' } },
      { userId: 'audit-a', type: 'login.succeeded', at: times[1], actor: 'user', ip: '198.51.100.1' },
    ]);
    expect(first.cursor).toBeTypeOf('string');
    const second = await audit.listForUser('audit-a', { limit: 2, cursor: first.cursor as string });
    expect(second.items).toEqual([
      { userId: 'audit-a', type: 'user.registered', at: times[0], actor: 'user', details: { plan: 'free' } },
    ]);
    expect(second.cursor).toBeUndefined();
    expect((await audit.listForUser('audit-b', { limit: 10 })).items).toHaveLength(1);
  });

  it('keeps two events at the same instant (append-only, never overwritten)', async () => {
    const t = '2030-01-02T00:00:00.000Z';
    await audit.append(event('audit-c', t, { type: 'session.refreshed' }));
    await audit.append(event('audit-c', t, { type: 'session.logged-out' }));
    const { items } = await audit.listForUser('audit-c', { limit: 10 });
    expect(items.map((e) => e.type).sort()).toEqual(['session.logged-out', 'session.refreshed']);
  });

  it("refuses a cursor from another user's partition or one it did not issue", async () => {
    const page = await audit.listForUser('audit-a', { limit: 1 });
    await expect(
      audit.listForUser('audit-b', { limit: 1, cursor: page.cursor as string }),
    ).rejects.toBeInstanceOf(InvalidCursor);
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#audit-b', sk: 'POS#x' })).toString('base64url');
    await expect(audit.listForUser('audit-b', { limit: 1, cursor: forged })).rejects.toBeInstanceOf(
      InvalidCursor,
    );
    await expect(audit.listForUser('audit-b', { limit: 1, cursor: '%%%' })).rejects.toBeInstanceOf(
      InvalidCursor,
    );
  });

  it('refuses details that look like secrets, unknown types and non-UTC times', async () => {
    await expect(
      audit.append(event('audit-d', '2030-01-01T00:00:00.000Z', { details: { newPassword: 'x' } })),
    ).rejects.toThrow(/looks like a secret/);
    await expect(
      audit.append(event('audit-d', '2030-01-01T00:00:00.000Z', { details: { refresh_token: 'x' } })),
    ).rejects.toThrow(/looks like a secret/);
    await expect(
      audit.append({ ...event('audit-d', '2030-01-01T00:00:00.000Z'), type: 'nope' as AuditEvent['type'] }),
    ).rejects.toThrow(/unknown audit event type/);
    await expect(audit.append(event('audit-d', '2030-01-01T01:00:00+01:00'))).rejects.toThrow(/UTC/);
    expect((await audit.listForUser('audit-d', { limit: 10 })).items).toEqual([]);
  });
});
