import { describe, expect, it } from 'vitest';
import { fingerprintOf, signalKeyOf } from '../../../shared/app/ingest-signal.js';
import { signalSchema } from '../../../shared/core/signals/signal.js';

const signal = signalSchema.parse({
  signalId: 's1',
  source: 'house',
  symbol: 'ETH/USDT',
  side: 'long',
  entry: { type: 'market' },
  targets: [{ price: '3100' }],
  createdAt: '2026-11-25T10:00:00Z',
});

describe('signal identity', () => {
  it('keys a signal by source and id, so two sources may reuse an id', () => {
    expect(signalKeyOf(signal)).toBe('house:s1');
    expect(signalKeyOf({ ...signal, source: 'telegram' })).toBe('telegram:s1');
  });

  it('fingerprints content independently of key order', () => {
    const { createdAt, ...rest } = signal;
    const reordered = signalSchema.parse(JSON.parse(JSON.stringify({ createdAt, ...rest })));
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(signal));
  });

  it('changes the fingerprint when the content changes', () => {
    expect(fingerprintOf({ ...signal, targets: [{ price: '3200' }] })).not.toBe(fingerprintOf(signal));
  });
});
