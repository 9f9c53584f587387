// The one sealed form of an exchange key: API key and secret together, as JSON, bound to whose key it
// is (user, account, exchange). Sealing and opening both go through here so their context agrees.
import { z } from 'zod';
import { ExchangeError } from '../../ports/exchange-gateway.js';
import type {
  ExchangeAccountRepository,
  ExchangeId,
  StoredExchangeKey,
  TradingAccount,
} from '../../ports/repositories.js';
import { type SealedSecret, type SecretBox, SecretBoxError } from '../../ports/security.js';

export interface ExchangeApiCredentials {
  readonly apiKey: string;
  readonly secret: string;
}

const sealedPayloadSchema = z.object({
  v: z.literal(1),
  apiKey: z.string().min(1),
  secret: z.string().min(1),
});

export function credentialContext(userId: string, accountId: string, exchange: ExchangeId) {
  return { userId, accountId, exchange };
}

export function sealCredentials(
  box: SecretBox,
  owner: { readonly userId: string; readonly accountId: string; readonly exchange: ExchangeId },
  credentials: ExchangeApiCredentials,
): Promise<SealedSecret> {
  const payload = JSON.stringify({ v: 1, apiKey: credentials.apiKey, secret: credentials.secret });
  return box.seal(payload, credentialContext(owner.userId, owner.accountId, owner.exchange));
}

/** Throws the box's error when the key does not open for this owner (moved, tampered). */
export async function openCredentials(
  box: SecretBox,
  stored: StoredExchangeKey,
): Promise<ExchangeApiCredentials> {
  const text = await box.open(
    stored.sealed,
    credentialContext(stored.userId, stored.accountId, stored.exchange),
  );
  // Errors here name nothing of the payload: JSON.parse's own message quotes the text it failed on.
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = sealedPayloadSchema.safeParse(raw);
  if (!parsed.success) throw new SecretBoxError('the sealed exchange key has an unknown shape');
  return { apiKey: parsed.data.apiKey, secret: parsed.data.secret };
}

/**
 * The API key and secret an exchange account trades with, for execution. A key that is missing, was
 * stored for another exchange or mode, or does not open for this owner is an `auth` ExchangeError
 * (not retryable: the command is refused, not retried into the dead-letter queue). A KMS outage is
 * not: it propagates as it is, and the message is retried.
 */
export async function credentialsForAccount(
  deps: { readonly keys: ExchangeAccountRepository; readonly secretBox: SecretBox },
  account: TradingAccount,
): Promise<ExchangeApiCredentials> {
  const stored = await deps.keys.sealedKey(account.userId, account.accountId);
  if (!stored || stored.exchange !== account.exchange || stored.mode !== account.mode) {
    throw new ExchangeError('auth', 'the account has no usable stored API key');
  }
  try {
    return await openCredentials(deps.secretBox, stored);
  } catch (error) {
    if (error instanceof SecretBoxError)
      throw new ExchangeError('auth', 'the stored API key cannot be opened');
    throw error;
  }
}
