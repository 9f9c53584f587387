// Free and reserved ("used") balances per currency for one paper account. Callers check before
// they debit; the book only moves amounts, exactly, in big.js.
import type Big from 'big.js';
import type { Balance } from '../../ports/exchange-gateway.js';
import { type DecimalString, dec, str } from '../money/decimal.js';

interface Row {
  free: Big;
  used: Big;
}

const ZERO = dec(0);

export class BalanceBook {
  private readonly rows = new Map<string, Row>();

  constructor(initial: Readonly<Record<string, DecimalString>> = {}) {
    for (const [currency, free] of Object.entries(initial)) this.row(currency).free = dec(free);
  }

  private row(currency: string): Row {
    let row = this.rows.get(currency);
    if (!row) {
      row = { free: ZERO, used: ZERO };
      this.rows.set(currency, row);
    }
    return row;
  }

  free(currency: string): Big {
    return this.rows.get(currency)?.free ?? ZERO;
  }

  total(currency: string): Big {
    const row = this.rows.get(currency);
    return row ? row.free.plus(row.used) : ZERO;
  }

  /** Adds to free (proceeds of a fill). */
  credit(currency: string, amount: Big): void {
    const row = this.row(currency);
    row.free = row.free.plus(amount);
  }

  /** Takes from free (a taker fill paid on the spot). */
  debitFree(currency: string, amount: Big): void {
    const row = this.row(currency);
    row.free = row.free.minus(amount);
  }

  /** Moves free → used when a resting order reserves what it may spend. */
  reserve(currency: string, amount: Big): void {
    const row = this.row(currency);
    row.free = row.free.minus(amount);
    row.used = row.used.plus(amount);
  }

  /** Moves used → free when a reservation is no longer needed. */
  release(currency: string, amount: Big): void {
    const row = this.row(currency);
    row.used = row.used.minus(amount);
    row.free = row.free.plus(amount);
  }

  /** Takes from used (a resting order's fill paid from its reservation). */
  debitUsed(currency: string, amount: Big): void {
    const row = this.row(currency);
    row.used = row.used.minus(amount);
  }

  snapshot(): Balance[] {
    return [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, row]) => ({ currency, free: str(row.free), used: str(row.used) }));
  }
}
