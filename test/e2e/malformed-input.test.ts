// Every HTTP route of the manifest, fed malformed input through the local stack: no body, a body
// that is not JSON, the wrong content type, arbitrary JSON (fast-check), oversized strings, odd
// query strings and path values. Whatever the route, the answer is a 4xx (or a 2xx where the input
// happens to be acceptable), never a 5xx, and always a JSON error with a machine-readable code.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { FUNCTIONS } from '../../shared/wiring/manifest.js';

let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: false, seed: true, quiet: true });
  const login = await fetch(`${stack.url}/api/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'alice@demo.verzek.local' }),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

const routes = FUNCTIONS.flatMap((fn) =>
  fn.trigger.kind === 'http' ? [{ id: fn.id, method: fn.trigger.method, path: fn.trigger.path }] : [],
);

/** Path parameters get an odd but URL-safe value. */
const concrete = (path: string, value: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(value));

async function send(
  method: string,
  path: string,
  options: { body?: string | undefined; contentType?: string | undefined; auth?: boolean },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...(options.auth === false ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(options.body !== undefined && method !== 'GET' ? { body: options.body } : {}),
  });
  return { status: res.status, text: await res.text() };
}

function expectClientAnswer(route: string, answer: { status: number; text: string }) {
  expect(answer.status, `${route} → ${answer.status} ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    const body = JSON.parse(answer.text) as { code?: unknown; message?: unknown };
    expect(typeof body.code, `${route}: error without a code`).toBe('string');
    expect(typeof body.message, `${route}: error without a message`).toBe('string');
  }
}

describe('malformed input to every route', () => {
  for (const route of routes) {
    const label = `${route.method} ${route.path}`;
    it(`${label}: never a 5xx`, { timeout: 60_000 }, async () => {
      const path = concrete(route.path, "x'; DROP TABLE--");
      const fixed = [
        { body: undefined, contentType: undefined },
        { body: '{"unterminated": ', contentType: 'application/json' },
        { body: 'plain text', contentType: 'text/plain' },
        { body: 'null', contentType: 'application/json' },
        { body: '[]', contentType: 'application/json' },
        { body: JSON.stringify({ email: 'a'.repeat(100_000) }), contentType: 'application/json' },
      ];
      for (const input of fixed) {
        for (const auth of [true, false]) {
          expectClientAnswer(label, await send(route.method, path, { ...input, auth }));
        }
      }
      await fc.assert(
        fc.asyncProperty(
          fc.jsonValue({ maxDepth: 3 }),
          fc.string({ maxLength: 40 }),
          async (json, segment) => {
            const answer = await send(
              route.method,
              `${concrete(route.path, segment || '-')}?${encodeURIComponent(segment)}=1`,
              {
                body: JSON.stringify(json),
                contentType: 'application/json',
              },
            );
            expectClientAnswer(label, answer);
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});
