// The house signing secret in the local run: generated into `.local/` with the others, added alone to
// a `.local/` written before it existed (keeping every other secret), and used by
// `npm run signal:post` to sign what it sends to the running stack.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocalEnvironment } from '../../local/local-environment.js';
import { loadOrCreateLocalSecrets } from '../../local/secrets.js';
import { checkHouseSignature } from '../../shared/http/request-signature.js';
import { registerTestSecret } from '../support/test-secrets.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verzek-house-signing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local house signing secret', () => {
  it('is generated with the others, owner-only, distinct from the token, and reused', async () => {
    const local = join(dir, 'fresh', '.local');
    const first = await loadOrCreateLocalSecrets(local);
    expect(first.generated).toBe(true);
    expect(first.added).toEqual([]);
    expect(first.secrets.houseSigningSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(first.secrets.houseSigningSecret).not.toBe(first.secrets.houseEngineToken);
    const file = first.houseSigningSecretFile ?? '';
    expect(file).toBe(join(local, 'house-signing-secret'));
    expect(await readFile(file, 'utf8')).toBe(first.secrets.houseSigningSecret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = await loadOrCreateLocalSecrets(local);
    expect(second).toMatchObject({ generated: false, added: [] });
    expect(second.secrets).toEqual(first.secrets);
  });

  it('is added alone to a .local/ that predates it: the token, JWT keys and master key stay', async () => {
    const local = join(dir, 'old', '.local');
    const before = await loadOrCreateLocalSecrets(local);
    // A directory as the runner wrote it before the signing secret existed.
    await rm(join(local, 'house-signing-secret'));

    const upgraded = await loadOrCreateLocalSecrets(local);
    expect(upgraded.generated).toBe(false);
    expect(upgraded.added).toEqual(['house-signing-secret']);
    const { houseSigningSecret, ...rest } = upgraded.secrets;
    const { houseSigningSecret: previous, ...restBefore } = before.secrets;
    expect(rest).toEqual(restBefore);
    expect(houseSigningSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(houseSigningSecret).not.toBe(previous);
    const file = join(local, 'house-signing-secret');
    expect(await readFile(file, 'utf8')).toBe(houseSigningSecret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const again = await loadOrCreateLocalSecrets(local);
    expect(again).toMatchObject({ generated: false, added: [] });
    expect(again.secrets).toEqual(upgraded.secrets);
  });

  it('reaches the handlers as HOUSE_SIGNING_SECRET', async () => {
    const { secrets } = await loadOrCreateLocalSecrets(null);
    const env = buildLocalEnvironment({
      dynamoEndpoint: 'http://127.0.0.1:1',
      sqsEndpoint: 'http://127.0.0.1:2',
      tableName: 't',
      queues: {} as Parameters<typeof buildLocalEnvironment>[0]['queues'],
      secrets,
      paperMarketDir: dir,
      outboxDir: dir,
    });
    expect(env.HOUSE_SIGNING_SECRET).toBe(secrets.houseSigningSecret);
    expect(env.HOUSE_ENGINE_TOKEN).toBe(secrets.houseEngineToken);
  });
});

interface Received {
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function runCli(
  args: readonly string[],
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['--import', 'tsx', 'local/cli/post-house-signal.ts', ...args], {
      env: { ...process.env, PORT: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run signal:post', () => {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"signalKey":"house:cli-1","duplicate":false}');
    });
  });
  let port = 0;
  let secretsDir = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    secretsDir = join(dir, 'cli', '.local');
    const { secrets } = await loadOrCreateLocalSecrets(secretsDir);
    registerTestSecret(secrets.houseEngineToken);
    registerTestSecret(secrets.houseSigningSecret);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts stdin with the house token and a signature over the exact bytes, and prints the answer', async () => {
    const body = '{ "signalId": "cli-1",  "note": "spacing kept" }\n';
    const result = await runCli(['--port', String(port), '--secrets-dir', secretsDir], body);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('202');
    expect(result.stdout).toContain('"signalKey": "house:cli-1"');

    const request = received.at(-1);
    if (!request) throw new Error('nothing received');
    expect(request.url).toBe('/api/house-signals/ingest');
    expect(request.body.toString('utf8')).toBe(body);
    const token = (await readFile(join(secretsDir, 'house-engine-token'), 'utf8')).trim();
    const signingSecret = (await readFile(join(secretsDir, 'house-signing-secret'), 'utf8')).trim();
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(request.headers['content-type']).toBe('application/json');
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
    );
    expect(checkHouseSignature(signingSecret, { headers, body: request.body }, new Date())).toEqual({
      ok: true,
    });
    // The secret itself is never sent.
    expect(JSON.stringify(request.headers)).not.toContain(signingSecret);
  });

  it('reads a file given as argument', async () => {
    const file = join(dir, 'signal.json');
    await writeFile(file, '{"signalId":"cli-file"}');
    const result = await runCli(['--port', String(port), '--secrets-dir', secretsDir, file], '');
    expect(result.code).toBe(0);
    expect(received.at(-1)?.body.toString('utf8')).toBe('{"signalId":"cli-file"}');
  });

  it('says to run npm start when the secrets are missing, and exits 1', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    const result = await runCli(['--port', String(port), '--secrets-dir', empty], '{}');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm start');
  });
});
