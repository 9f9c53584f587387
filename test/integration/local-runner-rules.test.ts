// The local runner's rules that need no engines: route matching, body encoding, Lambda's reading of
// a batch response, the scheduler's clock, the Java version check and the secrets directory.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { javaMajorVersion } from '../../local/dynamodb-local.js';
import { isTextContentType, responseFromResult } from '../../local/http-event.js';
import { buildRoutes, matchRoute } from '../../local/http-routes.js';
import { eventBridgeTime, nextFireTime } from '../../local/scheduler.js';
import { loadOrCreateLocalSecrets } from '../../local/secrets.js';
import { failedMessageIds } from '../../local/sqs-event.js';
import { FUNCTIONS } from '../../shared/wiring/manifest.js';
import { FIXTURE_FUNCTIONS } from '../fixtures/local-runner/manifest.js';

describe('route table', () => {
  const routes = buildRoutes(FIXTURE_FUNCTIONS);

  it('matches literal and parameterised paths exactly, as API Gateway route keys do', () => {
    expect(matchRoute(routes, 'POST', '/echo')).toMatchObject({
      kind: 'found',
      route: { functionId: 'Echo' },
    });
    expect(matchRoute(routes, 'GET', '/items/a%2Fb')).toMatchObject({
      kind: 'found',
      pathParameters: { itemId: 'a/b' },
    });
    expect(matchRoute(routes, 'POST', '/echo/')).toEqual({ kind: 'not-found' });
    expect(matchRoute(routes, 'GET', '/items/a/b')).toEqual({ kind: 'not-found' });
    expect(matchRoute(routes, 'DELETE', '/echo')).toEqual({ kind: 'method-not-allowed', allowed: ['POST'] });
  });

  it('builds one route per http function of the real manifest, without clashes', () => {
    const http = FUNCTIONS.filter((f) => f.trigger.kind === 'http');
    expect(
      buildRoutes(FUNCTIONS)
        .map((r) => r.functionId)
        .sort(),
    ).toEqual(http.map((f) => f.id).sort());
  });
});

describe('payload encoding', () => {
  it('treats JSON, text and forms as text and anything else as binary', () => {
    for (const type of [
      undefined,
      'application/json; charset=utf-8',
      'text/plain',
      'application/problem+json',
    ]) {
      expect(isTextContentType(type)).toBe(true);
    }
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(true);
    expect(isTextContentType('application/octet-stream')).toBe(false);
    expect(isTextContentType('image/png')).toBe(false);
    expect(isTextContentType('multipart/form-data; boundary=x')).toBe(false);
  });

  it('answers a string result as the body itself and rejects a malformed structured result', () => {
    expect(responseFromResult('hello').body.toString()).toBe('hello');
    expect(responseFromResult({ ok: true }).body.toString()).toBe('{"ok":true}');
    expect(() => responseFromResult({ statusCode: '200' })).toThrow(/statusCode/);
    expect(() => responseFromResult({ statusCode: 200, body: { not: 'a string' } })).toThrow(/body/);
  });
});

describe('batch responses', () => {
  const rec = (messageId: string, group: string) => ({ messageId, attributes: { MessageGroupId: group } });
  const event = {
    Records: [rec('a1', 'A'), rec('b1', 'B'), rec('a2', 'A'), rec('b2', 'B'), rec('a3', 'A')],
  } as unknown as SQSEvent;
  const failing = (id: string) => ({ batchItemFailures: [{ itemIdentifier: id }] });

  it('counts every later message of a failed FIFO group in the batch as failed, as Lambda does', () => {
    expect([...failedMessageIds(event, failing('a2'), true)].sort()).toEqual(['a2', 'a3']);
    expect(failedMessageIds(event, failing('a2'), false)).toEqual(new Set(['a2']));
  });

  it('reads an empty answer as all succeeded and a malformed one as all failed', () => {
    expect(failedMessageIds(event, undefined, true).size).toBe(0);
    expect(failedMessageIds(event, { batchItemFailures: [] }, false).size).toBe(0);
    expect(failedMessageIds(event, failing('unknown'), false).size).toBe(5);
    expect(failedMessageIds(event, { batchItemFailures: 'a1' }, false).size).toBe(5);
  });
});

describe('scheduler clock', () => {
  it('fires on the wall-clock minutes divisible by the rule period, like EventBridge', () => {
    const t = Date.parse('2026-01-01T10:07:31.500Z');
    expect(new Date(nextFireTime(t, 1)).toISOString()).toBe('2026-01-01T10:08:00.000Z');
    expect(new Date(nextFireTime(t, 5)).toISOString()).toBe('2026-01-01T10:10:00.000Z');
    const onBoundary = Date.parse('2026-01-01T10:10:00.000Z');
    expect(new Date(nextFireTime(onBoundary, 5)).toISOString()).toBe('2026-01-01T10:15:00.000Z');
    expect(eventBridgeTime(t)).toBe('2026-01-01T10:07:31Z');
  });
});

describe('Java check', () => {
  it('reads the major version from modern and legacy `java -version` output', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('local secrets', () => {
  it('generates owner-only files on the first run and reuses them afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verzek-secrets-'));
    try {
      const first = await loadOrCreateLocalSecrets(join(dir, '.local'));
      expect(first.generated).toBe(true);
      expect(first.secrets.houseEngineToken).toMatch(/^[A-Za-z0-9_-]{48}$/);
      expect(Buffer.from(first.secrets.masterKey, 'base64')).toHaveLength(32);
      const privateJwk = JSON.parse(first.secrets.jwtPrivateKey) as Record<string, string>;
      const jwks = JSON.parse(first.secrets.jwtPublicJwks) as { keys: Record<string, string>[] };
      expect(privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
      expect(jwks.keys[0]).toMatchObject({ kid: privateJwk.kid, alg: 'ES256', use: 'sig' });
      expect(jwks.keys[0]?.d).toBeUndefined();
      const tokenFile = first.houseEngineTokenFile ?? '';
      expect(await readFile(tokenFile, 'utf8')).toBe(first.secrets.houseEngineToken);
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);

      const second = await loadOrCreateLocalSecrets(join(dir, '.local'));
      expect(second.generated).toBe(false);
      expect(second.secrets).toEqual(first.secrets);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
