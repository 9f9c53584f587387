import { describe, expect, it } from 'vitest';
import { evaluateAutoStop } from '../../../shared/core/risk/auto-stop.js';
import {
  AutoStopInputError,
  type AutoStopRulesInput,
  type AutoStopSnapshot,
  autoStopRulesSchema,
  type OpenPositionRisk,
} from '../../../shared/core/risk/auto-stop-rules.js';

const rules = (input: AutoStopRulesInput) => autoStopRulesSchema.parse(input);
const now = '2026-03-05T12:00:00.000Z';
const position = (overrides: Partial<OpenPositionRisk> = {}): OpenPositionRisk => ({
  positionId: 'p1',
  symbol: 'BTC/USDT',
  openedAt: '2026-03-05T10:00:00.000Z',
  costQuote: '1000',
  leverage: 1,
  unrealizedPnlQuote: '0',
  ...overrides,
});
const snapshot = (overrides: Partial<AutoStopSnapshot> = {}): AutoStopSnapshot => ({
  openPositions: [position()],
  closedTrades: [],
  equity: [],
  ...overrides,
});

describe('auto-stop', () => {
  it('closes a position once it has been open for the timeout, and not a second before', () => {
    // opened 10:00, now 12:00 → 7200 s
    const decision = evaluateAutoStop(snapshot(), rules({ positionTimeoutSeconds: 7200 }), now);
    expect(decision.close).toEqual([
      {
        positionId: 'p1',
        symbol: 'BTC/USDT',
        rules: [
          {
            rule: 'POSITION_TIMEOUT',
            code: 'AUTO_STOP.POSITION_TIMEOUT',
            reason: 'open for 7200 s, the timeout is 7200 s',
          },
        ],
      },
    ]);
    expect(evaluateAutoStop(snapshot(), rules({ positionTimeoutSeconds: 7201 }), now).close).toEqual([]);
  });

  it('closes a position whose loss reaches the quote limit', () => {
    const s = snapshot({ openPositions: [position({ unrealizedPnlQuote: '-50' })] });
    const decision = evaluateAutoStop(s, rules({ maxLossPerPosition: { quote: '50' } }), now);
    expect(decision.close[0]?.rules.map((r) => r.reason)).toEqual([
      'loss 50 quote reaches the limit 50 quote',
    ]);
  });

  it('measures a leveraged position loss in % of its margin', () => {
    // cost 1000 at 5× → margin 200; loss 50 → 25 % ≥ 20 %
    const s = snapshot({ openPositions: [position({ leverage: 5, unrealizedPnlQuote: '-50' })] });
    const decision = evaluateAutoStop(s, rules({ maxLossPerPosition: { percent: '20' } }), now);
    expect(decision.close[0]?.rules).toEqual([
      {
        rule: 'MAX_LOSS_PER_POSITION',
        code: 'AUTO_STOP.MAX_LOSS_PER_POSITION',
        reason: 'loss 50 quote is 25% of the 200 margin, the limit is 20%',
      },
    ]);
    // The same loss on spot is 5 % of 1000: below the limit.
    const spot = snapshot({ openPositions: [position({ unrealizedPnlQuote: '-50' })] });
    expect(evaluateAutoStop(spot, rules({ maxLossPerPosition: { percent: '20' } }), now).close).toEqual([]);
  });

  it('pauses entries until the next UTC midnight once the day’s realized loss reaches the limit', () => {
    // Today (UTC): −30 − 25 + 10 = −45 ≥ 40 lost; yesterday's −100 does not count
    const s = snapshot({
      closedTrades: [
        { closedAt: '2026-03-04T23:59:59.000Z', realizedPnlQuote: '-100' },
        { closedAt: '2026-03-05T01:00:00.000Z', realizedPnlQuote: '-30' },
        { closedAt: '2026-03-05T02:00:00.000Z', realizedPnlQuote: '-25' },
        { closedAt: '2026-03-05T03:00:00.000Z', realizedPnlQuote: '10' },
      ],
    });
    const decision = evaluateAutoStop(s, rules({ dailyLossLimitQuote: '40' }), now);
    expect(decision.entries).toEqual({
      paused: true,
      until: '2026-03-06T00:00:00.000Z',
      pauses: [
        {
          rule: 'DAILY_LOSS_LIMIT',
          code: 'AUTO_STOP.DAILY_LOSS_LIMIT',
          reason:
            'realized -45 quote over 3 trades since 2026-03-05T00:00:00.000Z, the daily loss limit is 40',
          until: '2026-03-06T00:00:00.000Z',
        },
      ],
    });
    expect(decision.close).toEqual([]);
    expect(evaluateAutoStop(s, rules({ dailyLossLimitQuote: '46' }), now).entries).toEqual({ paused: false });
  });

  it('pauses entries until a person resumes them, and closes positions if asked, at the drawdown limit', () => {
    // Peak 1200, now 960: (1200 − 960) / 1200 = 20 %; a point after now is ignored
    const s = snapshot({
      equity: [
        { at: '2026-03-01T00:00:00.000Z', equityQuote: '1000' },
        { at: '2026-03-02T00:00:00.000Z', equityQuote: '1200' },
        { at: '2026-03-05T11:00:00.000Z', equityQuote: '960' },
        { at: '2026-03-05T13:00:00.000Z', equityQuote: '2000' },
      ],
    });
    const reason = 'equity 960 is 20% below its peak 1200, the limit is 20%';
    const decision = evaluateAutoStop(
      s,
      rules({ maxDrawdown: { percent: '20', closePositions: true } }),
      now,
    );
    expect(decision.entries).toMatchObject({
      paused: true,
      until: null,
      pauses: [{ rule: 'MAX_DRAWDOWN', reason }],
    });
    expect(decision.close).toEqual([
      {
        positionId: 'p1',
        symbol: 'BTC/USDT',
        rules: [{ rule: 'MAX_DRAWDOWN', code: 'AUTO_STOP.MAX_DRAWDOWN', reason }],
      },
    ]);
    expect(evaluateAutoStop(s, rules({ maxDrawdown: { percent: '20' } }), now).close).toEqual([]);
  });

  it('cools down after N consecutive losses, counted from the last loss, and a break-even ends a streak', () => {
    const losses = [
      { closedAt: '2026-03-05T09:00:00.000Z', realizedPnlQuote: '-1' },
      { closedAt: '2026-03-05T10:00:00.000Z', realizedPnlQuote: '-2' },
      { closedAt: '2026-03-05T11:30:00.000Z', realizedPnlQuote: '-3' },
    ];
    const rule = rules({ consecutiveLosses: { count: 3, coolDownSeconds: 3600 } });
    const decision = evaluateAutoStop(snapshot({ closedTrades: losses }), rule, now);
    expect(decision.entries).toEqual({
      paused: true,
      until: '2026-03-05T12:30:00.000Z',
      pauses: [
        {
          rule: 'CONSECUTIVE_LOSSES',
          code: 'AUTO_STOP.CONSECUTIVE_LOSSES',
          reason:
            '3 losing trades in a row (the limit is 3), the last at 2026-03-05T11:30:00.000Z; cooling down 3600 s',
          until: '2026-03-05T12:30:00.000Z',
        },
      ],
    });
    expect(
      evaluateAutoStop(snapshot({ closedTrades: losses }), rule, '2026-03-05T12:30:00.000Z').entries,
    ).toEqual({
      paused: false,
    });
    // A break-even trade between the first and second loss leaves a streak of only 2.
    const withBreakEven = [...losses, { closedAt: '2026-03-05T09:30:00.000Z', realizedPnlQuote: '0' }];
    expect(evaluateAutoStop(snapshot({ closedTrades: withBreakEven }), rule, now).entries).toEqual({
      paused: false,
    });
  });

  it('stops entries on the user kill switch without closing, and closes everything on a global one that says so', () => {
    const user = evaluateAutoStop(
      snapshot({ userKillSwitch: { engaged: true, closePositions: false, reason: 'on holiday' } }),
      rules({}),
      now,
    );
    expect(user.entries).toMatchObject({
      paused: true,
      until: null,
      pauses: [{ rule: 'USER_KILL_SWITCH', reason: "the user's kill switch is engaged: on holiday" }],
    });
    expect(user.close).toEqual([]);
    const global = evaluateAutoStop(
      snapshot({
        openPositions: [position(), position({ positionId: 'p2', symbol: 'ETH/USDT' })],
        globalKillSwitch: { engaged: true, closePositions: true, reason: 'exchange incident' },
      }),
      rules({}),
      now,
    );
    const reason = 'the global kill switch is engaged, closing every position: exchange incident';
    expect(global.close.map((c) => [c.positionId, c.rules[0]?.reason])).toEqual([
      ['p1', reason],
      ['p2', reason],
    ]);
  });

  it('resumes entries at the latest of several timed pauses, and gives every reason', () => {
    const s = snapshot({
      closedTrades: [
        { closedAt: '2026-03-05T11:00:00.000Z', realizedPnlQuote: '-30' },
        { closedAt: '2026-03-05T11:50:00.000Z', realizedPnlQuote: '-30' },
      ],
    });
    const decision = evaluateAutoStop(
      s,
      rules({ dailyLossLimitQuote: '50', consecutiveLosses: { count: 2, coolDownSeconds: 1200 } }),
      now,
    );
    expect(decision.entries).toMatchObject({
      paused: true,
      until: '2026-03-06T00:00:00.000Z',
      pauses: [
        { rule: 'DAILY_LOSS_LIMIT', until: '2026-03-06T00:00:00.000Z' },
        { rule: 'CONSECUTIVE_LOSSES', until: '2026-03-05T12:10:00.000Z' },
      ],
    });
  });

  it('takes now as epoch milliseconds as well as an ISO string, and refuses an unreadable instant', () => {
    const rule = rules({ positionTimeoutSeconds: 7200 });
    expect(evaluateAutoStop(snapshot(), rule, Date.parse(now))).toEqual(
      evaluateAutoStop(snapshot(), rule, now),
    );
    expect(() => evaluateAutoStop(snapshot(), rule, 'yesterday')).toThrow(AutoStopInputError);
  });

  it('fires nothing when no rule is configured', () => {
    const s = snapshot({ openPositions: [position({ unrealizedPnlQuote: '-999' })] });
    expect(evaluateAutoStop(s, rules({}), now)).toEqual({ close: [], entries: { paused: false } });
  });
});
