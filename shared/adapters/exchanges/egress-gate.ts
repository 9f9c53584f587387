// One exchange, one egress IP, many tenants: every account's calls to an exchange leave through the
// same NAT IPs, and exchanges rate-limit (and Binance bans, HTTP 418) per IP. So, per exchange and
// environment within a process, all gateways share ccxt's request throttler (one request budget, not
// one per account), and a Retry-After that one account receives pauses every account's calls until
// it has passed, instead of letting the others walk into an IP ban.
import type { CcxtExchange } from './ccxt.js';

type Throttler = CcxtExchange['throttler'];

export class EgressGate {
  private pausedUntil = 0;
  private throttler: Throttler | undefined;

  /** Gives `client` the gate's shared throttler (the first client's becomes the shared one). */
  shareThrottler(client: CcxtExchange): void {
    this.throttler ??= client.throttler;
    client.throttler = this.throttler;
  }

  /** Records a server's request to wait; a later, longer one extends the pause. */
  pauseFor(ms: number, now: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  /** How long calls must still wait, in ms (0 when they may go). */
  remainingPause(now: number): number {
    return Math.max(0, this.pausedUntil - now);
  }
}

const gates = new Map<string, EgressGate>();

/** The process-wide gate for one exchange environment (exchange, live/demo, base URL). */
export function egressGateFor(key: string): EgressGate {
  let gate = gates.get(key);
  if (!gate) {
    gate = new EgressGate();
    gates.set(key, gate);
  }
  return gate;
}
