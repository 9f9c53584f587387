// Whether an exchange API key may be stored for auto-trading. A key that can move money out of the
// account (withdrawals, transfers) is refused outright: a leaked trading key must not be able to
// empty the account. Where the exchange does not say (Phemex reports no permissions), the trader's
// word stands, with a warning the UI shows before they confirm.
import type { KeyPermissions } from '../ports/exchange-gateway.js';

export interface KeyAssessment {
  readonly accepted: boolean;
  /** Why the key is refused, one sentence each, for the trader. */
  readonly reasons: readonly string[];
  /** Accepted, but the trader should know. */
  readonly warnings: readonly string[];
  /** Where the exchange reports them: the IPs the key is bound to. */
  readonly ips: readonly string[];
}

export function assessKeyPermissions(exchange: string, permissions: KeyPermissions): KeyAssessment {
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (!permissions.canRead) reasons.push('The key cannot read the account.');
  if (permissions.canTrade === false)
    reasons.push('The key has no trading permission; enable trading for it.');
  if (permissions.canWithdraw === true) {
    reasons.push('The key has withdrawal permission; create a key without withdrawals.');
  }
  if (permissions.canTransfer === true) {
    reasons.push('The key may transfer funds out of the trading account; create a key without transfers.');
  }
  if (permissions.ipRestricted === false) {
    reasons.push(
      `The key is not restricted to IP addresses; bind it to the platform's egress IPs on ${exchange}.`,
    );
  }
  const unknown = (['canTrade', 'canWithdraw', 'canTransfer', 'ipRestricted'] as const).filter(
    (field) => permissions[field] === 'unknown',
  );
  if (unknown.length > 0) {
    warnings.push(
      `${exchange} does not report ${unknown.join(', ')} for API keys: by adding it you confirm the key has trading permission only, no withdrawals or transfers, and is bound to the platform's egress IPs.`,
    );
  }
  return { accepted: reasons.length === 0, reasons, warnings, ips: permissions.ips };
}
