// Every client order id the platform derives (the deal's orders and the walking skeleton's) fits
// every exchange's rule, so no order is ever refused, or renamed, for its id.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../../shared/adapters/exchanges/profiles.js';
import { clientOrderIdFor } from '../../../../shared/app/open-position.js';
import { DEAL_ID_PATTERN, dealOrderIds, MAX_TARGETS } from '../../../../shared/core/dca/deal-orders.js';

const dealId = fc.stringMatching(DEAL_ID_PATTERN);
const revision = fc.integer({ min: 0, max: 2_000_000_000 });

function fitsEveryExchange(id: string): void {
  for (const profile of Object.values(PROFILES)) {
    const rule = profile.clientOrderIdRule;
    expect(id.length, `${id} on ${profile.id}`).toBeLessThanOrEqual(rule.maxLength);
    expect(id, `${id} on ${profile.id}`).toMatch(rule.pattern);
  }
}

describe('client order ids', () => {
  it("fit Binance, Bybit, Phemex and Kraken Futures for every deal's every order", () => {
    fc.assert(
      fc.property(
        dealId,
        revision,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: MAX_TARGETS }),
        (id, rev, level, target) => {
          for (const orderId of [
            dealOrderIds.base(id),
            dealOrderIds.safety(id, level),
            dealOrderIds.takeProfit(id, rev),
            dealOrderIds.target(id, target, rev),
            dealOrderIds.stop(id, rev),
            dealOrderIds.exit(id, rev),
          ]) {
            fitsEveryExchange(orderId);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fit every exchange for the walking skeleton's base and take-profit", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (positionId) => {
        fitsEveryExchange(clientOrderIdFor(positionId, 'b'));
        fitsEveryExchange(clientOrderIdFor(positionId, 'tp1'));
      }),
    );
  });
});
