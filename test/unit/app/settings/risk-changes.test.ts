// The pure comparison behind the settings step-up: each rule that raises risk, and the changes that
// lower risk or are neutral and so never ask for a second factor.
import { describe, expect, it } from 'vitest';
import {
  describeRiskChanges,
  type RiskRaisingChange,
  riskRaisingChanges,
} from '../../../../shared/app/settings/risk-changes.js';
import {
  DEFAULT_SETTINGS,
  type UserSettings,
  userSettingsSchema,
} from '../../../../shared/app/settings/user-settings.js';

/** Settings with a limit on everything, so raising and removing each can be tried. */
const BASE: UserSettings = {
  ...DEFAULT_SETTINGS,
  dcaDefaults: { ...DEFAULT_SETTINGS.dcaDefaults, stopLossPercent: '10' },
  risk: { maxOpenPositions: 10, maxQuotePerPosition: '250', dailyLossLimitQuote: '100' },
  symbols: { whitelist: ['BTC/USDT', 'ETH/USDT'], blacklist: ['DOGE/USDT', 'PEPE/USDT'] },
  autoTrade: true,
  killSwitch: true,
};

type Patch = {
  [K in keyof UserSettings]?: UserSettings[K] extends readonly unknown[] | boolean | string
    ? UserSettings[K]
    : Partial<UserSettings[K]>;
};

/** Parsed, so every case compares documents a save would accept. */
function edit(before: UserSettings, patch: Patch): UserSettings {
  return userSettingsSchema.parse({
    ...before,
    ...patch,
    dcaDefaults: { ...before.dcaDefaults, ...patch.dcaDefaults },
    risk: { ...before.risk, ...patch.risk },
    symbols: { ...before.symbols, ...patch.symbols },
    notifications: { ...before.notifications, ...patch.notifications },
  });
}

const fields = (changes: readonly RiskRaisingChange[]) => changes.map((c) => c.field);

describe('riskRaisingChanges', () => {
  it('finds nothing when nothing changed', () => {
    expect(userSettingsSchema.parse(BASE)).toEqual(BASE);
    expect(riskRaisingChanges(BASE, BASE)).toEqual([]);
    expect(riskRaisingChanges(DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toEqual([]);
  });

  it.each<[string, UserSettings, Patch, RiskRaisingChange]>([
    [
      'the kill switch turned off',
      BASE,
      { killSwitch: false },
      { field: 'killSwitch', change: 'turned off' },
    ],
    [
      'auto-trade turned on',
      { ...BASE, autoTrade: false },
      { autoTrade: true },
      { field: 'autoTrade', change: 'turned on' },
    ],
    [
      'more open positions',
      BASE,
      { risk: { maxOpenPositions: 11 } },
      { field: 'risk.maxOpenPositions', change: 'raised from 10 to 11' },
    ],
    [
      'a higher quote per position',
      BASE,
      { risk: { maxQuotePerPosition: '250.01' } },
      { field: 'risk.maxQuotePerPosition', change: 'raised from 250 to 250.01' },
    ],
    [
      'the quote per position limit removed',
      BASE,
      { risk: { maxQuotePerPosition: undefined } },
      { field: 'risk.maxQuotePerPosition', change: 'removed (was 250, now no limit)' },
    ],
    [
      'a higher daily loss limit',
      BASE,
      { risk: { dailyLossLimitQuote: '1000' } },
      { field: 'risk.dailyLossLimitQuote', change: 'raised from 100 to 1000' },
    ],
    [
      'the daily loss limit removed',
      BASE,
      { risk: { dailyLossLimitQuote: undefined } },
      { field: 'risk.dailyLossLimitQuote', change: 'removed (was 100, now no limit)' },
    ],
    [
      'a bigger base order',
      BASE,
      { dcaDefaults: { baseOrderQuote: '10.5' } },
      { field: 'dcaDefaults.baseOrderQuote', change: 'raised from 10 to 10.5' },
    ],
    [
      'a bigger safety order',
      BASE,
      { dcaDefaults: { safetyOrderQuote: '25' } },
      { field: 'dcaDefaults.safetyOrderQuote', change: 'raised from 20 to 25' },
    ],
    [
      'more safety orders',
      BASE,
      { dcaDefaults: { maxSafetyOrders: 6 } },
      { field: 'dcaDefaults.maxSafetyOrders', change: 'raised from 5 to 6' },
    ],
    [
      'a bigger volume scale',
      BASE,
      { dcaDefaults: { volumeScale: '2' } },
      { field: 'dcaDefaults.volumeScale', change: 'raised from 1.5 to 2' },
    ],
    [
      'a volume scale above the implied 1',
      edit(BASE, { dcaDefaults: { volumeScale: undefined } }),
      { dcaDefaults: { volumeScale: '1.1' } },
      { field: 'dcaDefaults.volumeScale', change: 'raised from 1 to 1.1' },
    ],
    [
      'more leverage',
      edit(BASE, { dcaDefaults: { market: 'futures', leverage: 2 } }),
      { dcaDefaults: { leverage: 5 } },
      { field: 'dcaDefaults.leverage', change: 'raised from 2 to 5' },
    ],
    [
      'a wider stop-loss',
      BASE,
      { dcaDefaults: { stopLossPercent: '20' } },
      { field: 'dcaDefaults.stopLossPercent', change: 'raised from 10 to 20' },
    ],
    [
      'the stop-loss removed',
      BASE,
      { dcaDefaults: { stopLossPercent: undefined } },
      { field: 'dcaDefaults.stopLossPercent', change: 'removed (was 10, now no limit)' },
    ],
    [
      'a symbol added to a non-empty whitelist',
      BASE,
      { symbols: { whitelist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] } },
      { field: 'symbols.whitelist', change: 'added SOL/USDT' },
    ],
    [
      'the whitelist emptied',
      BASE,
      { symbols: { whitelist: [] } },
      { field: 'symbols.whitelist', change: 'emptied (every symbol may be traded)' },
    ],
    [
      'a symbol taken off the blacklist',
      BASE,
      { symbols: { blacklist: ['PEPE/USDT'] } },
      { field: 'symbols.blacklist', change: 'removed DOGE/USDT' },
    ],
  ])('names %s', (_name, before, patch, expected) => {
    expect(riskRaisingChanges(before, edit(before, patch))).toEqual([expected]);
  });

  it.each<[string, UserSettings, Patch]>([
    ['the kill switch turned on', { ...BASE, killSwitch: false }, { killSwitch: true }],
    ['auto-trade turned off', BASE, { autoTrade: false }],
    ['fewer open positions', BASE, { risk: { maxOpenPositions: 9 } }],
    ['a lower quote per position', BASE, { risk: { maxQuotePerPosition: '249.99' } }],
    ['the same limit written differently', BASE, { risk: { maxQuotePerPosition: '250.00' } }],
    ['a lower daily loss limit', BASE, { risk: { dailyLossLimitQuote: '50' } }],
    [
      'limits added where there were none',
      DEFAULT_SETTINGS,
      { risk: { maxQuotePerPosition: '100', dailyLossLimitQuote: '20' } },
    ],
    [
      'smaller deals',
      BASE,
      {
        dcaDefaults: { baseOrderQuote: '5', safetyOrderQuote: '10', maxSafetyOrders: 3, volumeScale: '1.2' },
      },
    ],
    [
      'less leverage',
      edit(BASE, { dcaDefaults: { market: 'futures', leverage: 5 } }),
      { dcaDefaults: { leverage: 2 } },
    ],
    ['a tighter stop-loss', BASE, { dcaDefaults: { stopLossPercent: '5' } }],
    ['a stop-loss added', DEFAULT_SETTINGS, { dcaDefaults: { stopLossPercent: '5' } }],
    ['another take-profit', BASE, { dcaDefaults: { takeProfitPercent: '3' }, takeProfitMode: 'progressive' }],
    ['notifications', BASE, { notifications: { email: false, push: false, telegram: true } }],
    ['a symbol taken off the whitelist', BASE, { symbols: { whitelist: ['BTC/USDT'] } }],
    [
      'a whitelist set where every symbol was allowed',
      DEFAULT_SETTINGS,
      { symbols: { whitelist: ['BTC/USDT'], blacklist: [] } },
    ],
    [
      'a symbol added to the blacklist',
      BASE,
      { symbols: { blacklist: ['DOGE/USDT', 'PEPE/USDT', 'SHIB/USDT'] } },
    ],
    [
      'the whitelist reordered',
      BASE,
      { symbols: { whitelist: ['ETH/USDT', 'BTC/USDT'], blacklist: ['PEPE/USDT', 'DOGE/USDT'] } },
    ],
  ])('asks nothing for %s', (_name, before, patch) => {
    expect(riskRaisingChanges(before, edit(before, patch))).toEqual([]);
  });

  it('compares custom safety steps by their total quote, against the formula or other steps', () => {
    // The formula's ladder: 20 + 30 + 45 + 67.5 + 101.25 = 263.75.
    const custom = (quotes: string[]) =>
      edit(BASE, {
        dcaDefaults: {
          safetyOrderQuote: undefined,
          priceDeviationPercent: undefined,
          stepScale: undefined,
          volumeScale: undefined,
          maxSafetyOrders: undefined,
          customSafetySteps: quotes.map((quote, i) => ({ deviationPercent: String(i + 1), quote })),
        },
      });
    expect(riskRaisingChanges(BASE, custom(['100', '100', '63.75']))).toEqual([]);
    expect(riskRaisingChanges(BASE, custom(['100', '100', '63.76']))).toEqual([
      { field: 'dcaDefaults.safetyOrders', change: 'raised from 263.75 to 263.76' },
    ]);
    expect(riskRaisingChanges(custom(['50']), custom(['25', '25']))).toEqual([]);
    expect(fields(riskRaisingChanges(custom(['50']), custom(['50', '1'])))).toEqual([
      'dcaDefaults.safetyOrders',
    ]);
    expect(fields(riskRaisingChanges(custom(['50']), BASE))).toEqual(['dcaDefaults.safetyOrders']);
  });

  it('names every change at once, in document order, and a long symbol list by count', () => {
    const after = edit(BASE, {
      dcaDefaults: { baseOrderQuote: '20' },
      risk: { maxOpenPositions: 20, dailyLossLimitQuote: undefined },
      symbols: {
        whitelist: [
          ...BASE.symbols.whitelist,
          'A1/USDT',
          'A2/USDT',
          'A3/USDT',
          'A4/USDT',
          'A5/USDT',
          'A6/USDT',
        ],
        blacklist: [],
      },
      killSwitch: false,
      notifications: { email: false, push: false, telegram: false },
    });
    const changes = riskRaisingChanges(BASE, after);
    expect(fields(changes)).toEqual([
      'dcaDefaults.baseOrderQuote',
      'risk.maxOpenPositions',
      'risk.dailyLossLimitQuote',
      'symbols.whitelist',
      'symbols.blacklist',
      'killSwitch',
    ]);
    expect(changes[3]?.change).toBe('added A1/USDT, A2/USDT, A3/USDT, A4/USDT, A5/USDT and 1 more');
    expect(describeRiskChanges(changes.slice(0, 2))).toBe(
      'dcaDefaults.baseOrderQuote raised from 10 to 20; risk.maxOpenPositions raised from 10 to 20',
    );
  });
});
