// What the gateway tests against the fake exchanges share: the account a fake stands for, the
// runtime a test gateway runs with, and the ExchangeError an awaited call must end in.
import { expect } from 'vitest';
import type { GatewayRuntime } from '../../shared/adapters/exchanges/ccxt-gateway.js';
import type { AccountMode, ExchangeId } from '../../shared/adapters/exchanges/exchange-profile.js';
import {
  createExchangeGateway,
  type ExchangeAccountConfig,
} from '../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../shared/adapters/exchanges/market-cache.js';
import { ExchangeError, type ExchangeGateway } from '../../shared/ports/exchange-gateway.js';

/** What every fake exchange hands out: its address and the key it accepts. */
export interface FakeEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly secret: string;
}

export interface FakeAccountOptions {
  /** Default live. */
  readonly mode?: AccountMode;
  /** Default the fake's own key; another one to be refused. */
  readonly apiKey?: string;
  readonly secret?: string;
}

export interface FakeGatewayOptions extends FakeAccountOptions {
  /** Laid over testRuntime's defaults. */
  readonly runtime?: GatewayRuntime;
}

/** An account on the fake: its key (unless told otherwise), every API call sent to its base URL. */
export function fakeAccount(
  exchange: ExchangeId,
  fake: FakeEndpoint,
  options: FakeAccountOptions = {},
): ExchangeAccountConfig {
  return {
    exchange,
    mode: options.mode ?? 'live',
    credentials: { apiKey: options.apiKey ?? fake.apiKey, secret: options.secret ?? fake.secret },
    baseUrl: fake.baseUrl,
  };
}

/** Short request timeouts, retries that sleep for nothing, no jitter, a market cache of its own. */
export function testRuntime(overrides: GatewayRuntime = {}): GatewayRuntime {
  return {
    timeoutMs: 1500,
    sleep: async () => {},
    random: () => 0.5,
    marketCache: new MarketCache(),
    ...overrides,
  };
}

/** The real gateway for `exchange` (generic gateway + its profile), talking to the fake. */
export function fakeGateway(
  exchange: ExchangeId,
  fake: FakeEndpoint,
  options: FakeGatewayOptions = {},
): ExchangeGateway {
  return createExchangeGateway(fakeAccount(exchange, fake, options), testRuntime(options.runtime));
}

/** The ExchangeError `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function failureOf(promise: Promise<unknown>): Promise<ExchangeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExchangeError);
  return error as ExchangeError;
}
