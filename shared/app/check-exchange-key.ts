// Checks an exchange API key before an account is added: the key must work, may trade, must not
// withdraw or transfer, and should be bound to the platform's egress IPs where the exchange tells.
// The key and secret are used for this one call and never stored or logged here.
import type { ExchangeGateway, KeyPermissions } from '../ports/exchange-gateway.js';
import { assessKeyPermissions, type KeyAssessment } from './key-check.js';

export interface KeyCheckInput {
  readonly exchange: string;
  readonly mode: 'live' | 'demo';
}

export interface KeyCheckResult extends KeyAssessment {
  readonly exchange: string;
  readonly mode: 'live' | 'demo';
  readonly permissions: KeyPermissions;
}

/** Throws the gateway's ExchangeError when the exchange refuses the key or cannot be reached. */
export async function checkExchangeKey(
  gateway: ExchangeGateway,
  input: KeyCheckInput,
): Promise<KeyCheckResult> {
  const permissions = await gateway.keyPermissions();
  return {
    exchange: input.exchange,
    mode: input.mode,
    permissions,
    ...assessKeyPermissions(input.exchange, permissions),
  };
}
