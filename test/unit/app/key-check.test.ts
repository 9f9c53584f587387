import { describe, expect, it } from 'vitest';
import { assessKeyPermissions } from '../../../shared/app/key-check.js';
import type { KeyPermissions } from '../../../shared/ports/exchange-gateway.js';

const tradingOnly: KeyPermissions = {
  canRead: true,
  canTrade: true,
  canWithdraw: false,
  canTransfer: false,
  ipRestricted: true,
  ips: ['203.0.113.10'],
};

describe('assessKeyPermissions', () => {
  it('accepts a trading-only key bound to IPs, and passes the IPs on', () => {
    expect(assessKeyPermissions('binance', tradingOnly)).toEqual({
      accepted: true,
      reasons: [],
      warnings: [],
      ips: ['203.0.113.10'],
    });
  });

  it.each([
    ['withdrawal', { canWithdraw: true }, /withdrawal/],
    ['transfer', { canTransfer: true }, /transfer/],
    ['no trading', { canTrade: false }, /no trading permission/],
    ['no IP restriction', { ipRestricted: false }, /not restricted to IP/],
    ['cannot read', { canRead: false }, /cannot read/],
  ] as const)('refuses a key with %s', (_name, change, reason) => {
    const assessment = assessKeyPermissions('binance', { ...tradingOnly, ...change });
    expect(assessment.accepted).toBe(false);
    expect(assessment.reasons.join(' ')).toMatch(reason);
  });

  it('accepts a key whose exchange reports nothing, with a warning naming what the trader attests', () => {
    const assessment = assessKeyPermissions('phemex', {
      canRead: true,
      canTrade: 'unknown',
      canWithdraw: 'unknown',
      canTransfer: 'unknown',
      ipRestricted: 'unknown',
      ips: [],
    });
    expect(assessment.accepted).toBe(true);
    expect(assessment.warnings[0]).toMatch(
      /phemex does not report canTrade, canWithdraw, canTransfer, ipRestricted/,
    );
  });
});
