// The caller's exchange accounts, keys masked, with the egress IPs to bind the keys to.
import type { ExchangeAccountRepository } from '../../ports/repositories.js';
import { type ExchangeAccountView, exchangeAccountView } from './exchange-account-view.js';

export interface ExchangeAccountList {
  readonly items: readonly ExchangeAccountView[];
  readonly egressIps: readonly string[];
}

export async function listExchangeAccounts(
  deps: { readonly accounts: ExchangeAccountRepository; readonly egressIps: readonly string[] },
  userId: string,
): Promise<ExchangeAccountList> {
  const accounts = await deps.accounts.listForUser(userId);
  const items = accounts
    .map(exchangeAccountView)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.accountId.localeCompare(b.accountId));
  return { items, egressIps: deps.egressIps };
}
