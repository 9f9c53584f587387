import { describe, expect, it } from 'vitest';
import { tickOffsetsSeconds } from '../../../shared/app/bot-ticks.js';
import { BOTS } from '../../../shared/wiring/manifest.js';

describe('bot tick offsets', () => {
  it('spreads each sub-minute bot over the minute at its cadence, and gives slower bots one tick', () => {
    const offsets = Object.fromEntries(BOTS.map((b) => [b.name, tickOffsetsSeconds(b)]));
    expect(offsets).toEqual({ scalping: [0, 15, 30, 45], qfl: [0, 20, 40], ai: [0, 30], trend: [0] });
  });

  it('keeps every delay within what SQS allows (0-900 s)', () => {
    for (const bot of BOTS) for (const s of tickOffsetsSeconds(bot)) expect(s).toBeLessThanOrEqual(900);
  });
});
