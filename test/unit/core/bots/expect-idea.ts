// Assertions shared by the house-bot tests: a long idea entered at the last close with the stated
// exits, a confidence in (0, 1], and a reason that carries the numbers.
import { expect } from 'vitest';
import type { BarSeries, BotSignalIdea } from '../../../../shared/core/bots/bot-types.js';

export function lastClose(s: BarSeries): number {
  return s.close[s.length - 1] ?? Number.NaN;
}

export function expectLong(
  idea: BotSignalIdea | null,
  s: BarSeries,
  exits: { readonly target: number; readonly stopLoss: number },
): BotSignalIdea {
  expect(idea).not.toBeNull();
  if (idea === null) throw new Error('no idea');
  const entry = lastClose(s);
  expect(idea.side).toBe('long');
  expect(idea.entryPrice).toBe(entry);
  expect(idea.targets).toHaveLength(1);
  expect(idea.targets[0]?.price).toBeCloseTo(exits.target, 10);
  expect(idea.stopLoss).toBeCloseTo(exits.stopLoss, 10);
  expect(idea.targets[0]?.price ?? 0).toBeGreaterThan(entry);
  expect(idea.stopLoss).toBeLessThan(entry);
  expect(idea.confidence).toBeGreaterThan(0);
  expect(idea.confidence).toBeLessThanOrEqual(1);
  return idea;
}
