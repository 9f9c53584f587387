// Points a ccxt client at another host (a fake exchange on loopback in tests, a proxy) by replacing
// the scheme and host of every API URL it knows, paths kept. Host templates such as
// "https://api.{hostname}" are replaced too.
import type { CcxtExchange } from './ccxt.js';

const ORIGIN = /^https?:\/\/[^/]+/;

function rewrite(value: unknown, origin: string): unknown {
  if (typeof value === 'string') return ORIGIN.test(value) ? value.replace(ORIGIN, origin) : value;
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) copy[key] = rewrite(inner, origin);
    return copy;
  }
  return value;
}

export function overrideBaseUrl(client: CcxtExchange, baseUrl: string): void {
  const origin = new URL(baseUrl).origin;
  client.urls = { ...client.urls, api: rewrite(client.urls.api, origin) as typeof client.urls.api };
}
