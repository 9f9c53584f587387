// Builds the gateway for one exchange account: its exchange, live or demo, its key, and (in tests
// and behind a proxy) the base URL every API call goes to instead of the exchange's own host.
import type { ExchangeGateway } from '../../ports/exchange-gateway.js';
import { CcxtGateway, type GatewayRuntime } from './ccxt-gateway.js';
import type { AccountMode, ExchangeCredentials, ExchangeId } from './exchange-profile.js';
import { PROFILES } from './profiles.js';

export interface ExchangeAccountConfig {
  readonly exchange: ExchangeId;
  readonly mode: AccountMode;
  /** Absent for a public-data gateway (prices, candles, markets): private calls then fail as auth. */
  readonly credentials?: ExchangeCredentials;
  /** Replaces the scheme and host of every API URL, keeping the paths (a fake exchange, a proxy). */
  readonly baseUrl?: string;
}

export function createExchangeGateway(
  account: ExchangeAccountConfig,
  runtime: GatewayRuntime = {},
): ExchangeGateway {
  return new CcxtGateway(PROFILES[account.exchange], account, runtime);
}
