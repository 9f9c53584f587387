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

/** Retry-After is seconds (or an HTTP date); headers arrive in whatever case the client kept. */
export function retryAfterMs(
  headers: Readonly<Record<string, unknown>> | undefined,
  now: number,
): number | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'retry-after' || typeof value !== 'string') continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}
