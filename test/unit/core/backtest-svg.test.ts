import { describe, expect, it } from 'vitest';
import { downsampleIndices, niceTicks, renderEquitySvg } from '../../../shared/core/backtest/equity-svg.js';

const DAY = 86_400_000;

const polylinePoints = (svg: string, title: string) => {
  const match = new RegExp(`<polyline points="([^"]*)"[^>]*><title>${title}</title>`).exec(svg);
  return (match?.[1] ?? '').split(' ').filter((p) => p !== '');
};

describe('equity curve SVG', () => {
  it('draws the equity, the drawdown shading, buy and hold, and date and value labels', () => {
    const times = [0, 1, 2, 3, 4].map((d) => Date.UTC(2024, 0, 1) + d * DAY);
    const svg = renderEquitySvg({
      times,
      equity: [100, 110, 90, 95, 120],
      buyAndHold: [100, 105, 100, 110, 115],
      title: 'BTC/USDT <always>',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('BTC/USDT &lt;always&gt;');
    expect(polylinePoints(svg, 'equity')).toHaveLength(5);
    expect(polylinePoints(svg, 'buy and hold')).toHaveLength(5);
    expect(svg).toContain('<title>drawdown</title>');
    expect(svg).toContain('>2024-01-01<');
    expect(svg).toContain('>2024-01-05<');
    expect(svg).toContain('>100<'); // a value tick
  });

  it('draws at most maxPoints points for a long curve and keeps the extremes', () => {
    const n = 100_000;
    const equity = Array.from(
      { length: n },
      (_, i) => 1000 + Math.sin(i / 500) * 50 + (i === 54_321 ? -400 : 0),
    );
    const indices = downsampleIndices(equity, 2000);
    expect(indices.length).toBeLessThanOrEqual(2000);
    expect(indices).toContain(54_321);
    expect([...indices].sort((a, b) => a - b)).toEqual(indices); // in time order
    const svg = renderEquitySvg({ times: equity.map((_, i) => i * 60_000), equity });
    expect(polylinePoints(svg, 'equity').length).toBeLessThanOrEqual(2000);
  });

  it('chooses round tick values', () => {
    // The widest of 1, 2, 5 × 10^k giving at least 4 ticks: 93..121 → 5 (10 would give 3).
    expect(niceTicks(93, 121)).toEqual([95, 100, 105, 110, 115, 120]);
    expect(niceTicks(93, 101)).toEqual([94, 96, 98, 100]);
    expect(niceTicks(9935, 10195)).toEqual([9950, 10000, 10050, 10100, 10150]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('renders a flat or single-point curve without NaN', () => {
    const svg = renderEquitySvg({ times: [0], equity: [100] });
    expect(svg).not.toContain('NaN');
    expect(renderEquitySvg({ times: [0, 1], equity: [5, 5] })).not.toContain('NaN');
  });
});
