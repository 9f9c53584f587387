// What the API shows of an exchange account: never the API key or secret, only the key's masked form,
// and the platform's egress IPs the trader binds the key to.
import type { ExchangeAccount, ExchangeId } from '../../ports/repositories.js';

export interface ExchangeAccountView {
  readonly accountId: string;
  readonly exchange: ExchangeId;
  readonly mode: 'demo' | 'live';
  readonly label: string;
  readonly autoTrade: boolean;
  readonly maskedKey: string;
  readonly createdAt: string;
}

/**
 * The first and last 4 characters, enough to tell keys apart. Keys shorter than 16 characters (no
 * supported exchange issues one) show their last 2 only, so the mask never gives most of a key away.
 */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length >= 16) return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
  return `…${apiKey.slice(-2)}`;
}

export function exchangeAccountView({ account, key }: ExchangeAccount): ExchangeAccountView {
  return {
    accountId: account.accountId,
    exchange: key.exchange,
    mode: key.mode,
    label: account.label,
    autoTrade: account.autoTrade,
    maskedKey: key.maskedKey,
    createdAt: key.createdAt,
  };
}

/** EGRESS_IPS is comma-separated ("" locally, where calls leave from the laptop's own address). */
export function parseEgressIps(value: string): string[] {
  return value
    .split(',')
    .map((ip) => ip.trim())
    .filter((ip) => ip !== '');
}
