// When and how long to wait before trying an exchange call again. Bounded exponential backoff with
// jitter, so many tenants behind one egress IP do not retry in lockstep; a server's Retry-After wins.
import type { ExchangeErrorKind } from '../../ports/exchange-gateway.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not slept through: the caller gets the error and its delay. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 20_000,
};

/** Kinds that say nothing about the request itself: trying again may succeed. */
export function isTransient(kind: ExchangeErrorKind): boolean {
  return kind === 'rate-limited' || kind === 'exchange-unavailable' || kind === 'network-timeout';
}

/**
 * The wait before retry number `retry` (1 for the first retry). "Equal jitter": half the capped
 * exponential delay plus a random share of the other half, so it is never zero.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * How long the server asks us to wait, in ms. Retry-After is seconds or an HTTP date (Binance and
 * most others); Bybit sends the epoch ms its limit resets at; Phemex a per-group
 * `x-ratelimit-retry-after-<group>` in seconds. Header names arrive in whatever case the client kept.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, unknown>> | undefined,
  now: number,
): number | undefined {
  if (!headers) return undefined;
  let wait: number | undefined;
  const consider = (ms: number) => {
    if (Number.isFinite(ms) && ms >= 0) wait = Math.max(wait ?? 0, Math.round(ms));
  };
  for (const [rawName, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    const name = rawName.toLowerCase();
    if (name === 'retry-after') {
      const seconds = Number(value);
      if (Number.isFinite(seconds)) consider(seconds * 1000);
      else if (Number.isFinite(Date.parse(value))) consider(Date.parse(value) - now);
    } else if (name === 'x-bapi-limit-reset-timestamp') {
      consider(Number(value) - now);
    } else if (name.startsWith('x-ratelimit-retry-after')) {
      consider(Number(value) * 1000);
    }
  }
  return wait;
}
