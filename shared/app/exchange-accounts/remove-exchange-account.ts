// Removes one of the caller's exchange accounts: the account and its sealed key go in one write, so
// no ciphertext is left behind. Someone else's account id, or none, is the same "not found".
import type { Clock } from '../../ports/clock.js';
import type { ExchangeAccountRepository } from '../../ports/repositories.js';
import type { AuditLog } from '../../ports/security.js';

export class ExchangeAccountNotFound extends Error {
  override readonly name = 'ExchangeAccountNotFound';
}

export async function removeExchangeAccount(
  deps: {
    readonly accounts: ExchangeAccountRepository;
    readonly audit: AuditLog;
    readonly clock: Clock;
  },
  userId: string,
  accountId: string,
  request: { readonly ip?: string } = {},
): Promise<void> {
  // Read first, only to audit what was removed (exchange, mode, masked key); the delete decides.
  const existing = (await deps.accounts.listForUser(userId)).find((a) => a.account.accountId === accountId);
  if (!existing || !(await deps.accounts.remove(userId, accountId))) {
    throw new ExchangeAccountNotFound(`no exchange account ${accountId}`);
  }
  await deps.audit.append({
    userId,
    type: 'exchange-key.removed',
    at: deps.clock.now().toISOString(),
    actor: 'user',
    ...(request.ip ? { ip: request.ip } : {}),
    details: {
      accountId,
      exchange: existing.key.exchange,
      mode: existing.key.mode,
      maskedKey: existing.key.maskedKey,
    },
  });
}
