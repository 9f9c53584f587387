// Maps whatever a ccxt call threw to the port's taxonomy, plus the three readings that matter for
// orders: "already placed" (duplicate client id), "fate unknown" and "our clock is off". The
// exchange's own codes (through its profile) come first; ccxt's error class decides the rest.
import type { ExchangeErrorKind } from '../../ports/exchange-gateway.js';
import { ccxtErrors } from './ccxt.js';
import type { ExchangeSpecificClass } from './exchange-profile.js';

export type FailureClass = ExchangeErrorKind | ExchangeSpecificClass;

// Order matters: ccxt's classes inherit (DDoSProtection, RequestTimeout and InvalidNonce are
// NetworkErrors, PermissionDenied is an AuthenticationError, OrderNotFound an InvalidOrder).
const BY_CLASS: readonly [abstract new (...args: never[]) => Error, FailureClass][] = [
  [ccxtErrors.OrderNotFound, 'not-found'],
  [ccxtErrors.DuplicateOrderId, 'duplicate-client-id'],
  [ccxtErrors.InsufficientFunds, 'insufficient-funds'],
  [ccxtErrors.InvalidNonce, 'timestamp'],
  [ccxtErrors.AccountSuspended, 'permission'],
  [ccxtErrors.PermissionDenied, 'permission'],
  [ccxtErrors.AuthenticationError, 'auth'],
  [ccxtErrors.RateLimitExceeded, 'rate-limited'],
  [ccxtErrors.DDoSProtection, 'rate-limited'],
  [ccxtErrors.RequestTimeout, 'network-timeout'],
  [ccxtErrors.OnMaintenance, 'exchange-unavailable'],
  [ccxtErrors.ExchangeNotAvailable, 'exchange-unavailable'],
  [ccxtErrors.NetworkError, 'network-timeout'],
  [ccxtErrors.InvalidOrder, 'invalid-order'],
  [ccxtErrors.BadSymbol, 'invalid-order'],
  [ccxtErrors.BadRequest, 'invalid-order'],
];

export function classifyFailure(error: unknown, exchangeSpecific: FailureClass | undefined): FailureClass {
  if (exchangeSpecific) return exchangeSpecific;
  for (const [type, failure] of BY_CLASS) if (error instanceof type) return failure;
  return 'unknown';
}

/** The taxonomy kind a failure class is reported as when it reaches the caller. */
export function kindOf(failure: FailureClass): ExchangeErrorKind {
  switch (failure) {
    case 'not-found':
    case 'duplicate-client-id':
      return 'invalid-order';
    case 'status-unknown':
      return 'network-timeout';
    case 'timestamp':
      return 'auth';
    default:
      return failure;
  }
}

/**
 * The error as a caller may read (and log) it. ccxt messages carry the exchange's raw reply and, for
 * HTTP-level failures, the request URL, whose query string holds a signature and a timestamp on
 * signed calls: query strings go, and so does every credential the caller names.
 */
export function describeFailure(error: unknown, credentials: readonly string[] = []): string {
  let text = error instanceof Error ? error.message : String(error);
  text = text.replace(/(https?:\/\/[^\s?]+)\?\S*/g, '$1?…');
  for (const credential of credentials) {
    if (credential.length >= 4) text = text.split(credential).join('[redacted]');
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
