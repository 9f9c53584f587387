// Adds an exchange account: the key is checked on the exchange (it works, may trade, cannot withdraw
// or transfer, is IP-bound where the exchange tells), sealed with envelope encryption, and stored
// with the account in one write. Auto-trading starts off: the trader turns it on deliberately.
// The key and secret live only in this call's memory and in the sealed item; nothing logs or
// returns them, and the audit event carries the masked key only.
import type { Clock } from '../../ports/clock.js';
import type { ExchangeGateway } from '../../ports/exchange-gateway.js';
import type {
  ExchangeAccountRepository,
  ExchangeId,
  StoredExchangeKey,
  TradingAccount,
} from '../../ports/repositories.js';
import type { AuditLog, RateRule, SecretBox } from '../../ports/security.js';
import { checkExchangeKey } from '../check-exchange-key.js';
import { type ExchangeAccountView, exchangeAccountView, maskApiKey } from './exchange-account-view.js';
import { type ExchangeApiCredentials, sealCredentials } from './exchange-credentials.js';

export interface AddExchangeAccountInput {
  readonly exchange: ExchangeId;
  readonly mode: 'demo' | 'live';
  readonly label: string;
  readonly apiKey: string;
  readonly secret: string;
}

export interface AddExchangeAccountDeps {
  readonly accounts: ExchangeAccountRepository;
  readonly secretBox: SecretBox;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** A gateway on this key (ccxt in the function; a stub in tests). */
  readonly gatewayFor: (account: {
    readonly exchange: ExchangeId;
    readonly mode: 'demo' | 'live';
    readonly credentials: ExchangeApiCredentials;
  }) => ExchangeGateway;
  readonly newAccountId: () => string;
  /** The platform's egress IPs, shown so the trader can bind the key to them. */
  readonly egressIps: readonly string[];
}

export interface AddedExchangeAccount extends ExchangeAccountView {
  readonly warnings: readonly string[];
  readonly egressIps: readonly string[];
}

/** The exchange says the key works, but it may do more than trade (or less): not stored. */
export class ExchangeKeyRefused extends Error {
  override readonly name = 'ExchangeKeyRefused';
  constructor(
    readonly reasons: readonly string[],
    readonly warnings: readonly string[],
  ) {
    super('the exchange key is refused');
  }
}

/**
 * Until per-user settings set them, a new account sizes its orders small. They matter only once the
 * trader turns auto-trading on.
 */
export const NEW_ACCOUNT_DEFAULTS = { baseOrderQuote: '10', defaultTakeProfitPercent: '1.5' } as const;

/** Adding checks the key on the exchange from the shared egress IPs: a few per user per hour. */
export const ADD_ACCOUNT_RATE_RULE = {
  name: 'exchange-account-add-user',
  limit: 10,
  windowSeconds: 3600,
} as const satisfies RateRule;

/** Throws the gateway's ExchangeError when the exchange refuses the key or cannot be reached. */
export async function addExchangeAccount(
  deps: AddExchangeAccountDeps,
  userId: string,
  input: AddExchangeAccountInput,
  request: { readonly ip?: string } = {},
): Promise<AddedExchangeAccount> {
  const credentials = { apiKey: input.apiKey, secret: input.secret };
  const gateway = deps.gatewayFor({ exchange: input.exchange, mode: input.mode, credentials });
  const check = await checkExchangeKey(gateway, { exchange: input.exchange, mode: input.mode });
  if (!check.accepted) throw new ExchangeKeyRefused(check.reasons, check.warnings);

  const accountId = deps.newAccountId();
  const createdAt = deps.clock.now().toISOString();
  const account: TradingAccount = {
    userId,
    accountId,
    exchange: input.exchange,
    mode: input.mode,
    label: input.label,
    autoTrade: false,
    ...NEW_ACCOUNT_DEFAULTS,
    createdAt,
  };
  const key: StoredExchangeKey = {
    userId,
    accountId,
    exchange: input.exchange,
    mode: input.mode,
    maskedKey: maskApiKey(input.apiKey),
    createdAt,
    sealed: await sealCredentials(
      deps.secretBox,
      { userId, accountId, exchange: input.exchange },
      credentials,
    ),
  };
  await deps.accounts.create(account, key);
  await deps.audit.append({
    userId,
    type: 'exchange-key.added',
    at: createdAt,
    actor: 'user',
    ...(request.ip ? { ip: request.ip } : {}),
    details: { accountId, exchange: input.exchange, mode: input.mode, maskedKey: key.maskedKey },
  });
  return {
    ...exchangeAccountView({ account, key }),
    warnings: check.warnings,
    egressIps: deps.egressIps,
  };
}
