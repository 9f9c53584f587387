// Ingest and fan-out against DynamoDB Local and fauxqs: a signal is stored and enqueued once, its
// status only moves forward, and fan-out sends one command per auto-trading account, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOutSignal } from '../../shared/app/fan-out-signal.js';
import { fingerprintOf, ingestSignal } from '../../shared/app/ingest-signal.js';
import { executionCommandSchema, signalQueuedSchema } from '../../shared/app/messages.js';
import { Conflict } from '../../shared/http/errors.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';
import { clock, houseSignal, type Pipeline, paperAccount, pipelineOn } from '../support/pipeline-fixture.js';

let services: LocalServices;
let p: Pipeline;

beforeAll(async () => {
  services = await startLocalServices();
  p = pipelineOn(services);
  await p.openAccounts([
    paperAccount('u-a', 'acc-a'),
    paperAccount('u-b', 'acc-b', { baseOrderQuote: '50' }),
    paperAccount('u-c', 'acc-c', { autoTrade: false }),
  ]);
});
afterAll(async () => {
  await services?.stop();
});

const ingestDeps = () => ({ ...p.repos(), queue: p.publisher(), clock });

describe('ingest', () => {
  it('stores a signal once and enqueues it once, however often it is posted', async () => {
    await p.drain('signals');
    const first = await ingestSignal(ingestDeps(), houseSignal('ing-1'));
    const second = await ingestSignal(ingestDeps(), houseSignal('ing-1'));
    expect(first).toEqual({ signalKey: 'house:ing-1', duplicate: false, status: 'enqueued' });
    expect(second).toEqual({ signalKey: 'house:ing-1', duplicate: true, status: 'enqueued' });
    const messages = await p.drain('signals');
    expect(messages.map((m) => signalQueuedSchema.parse(JSON.parse(m.body)))).toEqual([
      { signalKey: 'house:ing-1' },
    ]);
  });

  it('refuses the same id with other content as a conflict', async () => {
    await ingestSignal(ingestDeps(), houseSignal('ing-2'));
    await expect(ingestSignal(ingestDeps(), houseSignal('ing-2', { side: 'short' }))).rejects.toBeInstanceOf(
      Conflict,
    );
  });

  it('enqueues again a signal stored earlier but never enqueued (the writer died in between)', async () => {
    const s = houseSignal('ing-3');
    await p.repos().signals.putIfAbsent({
      signalKey: 'house:ing-3',
      signal: s,
      fingerprint: fingerprintOf(s),
      status: 'received',
      receivedAt: clock.now().toISOString(),
    });
    await p.drain('signals');
    const result = await ingestSignal(ingestDeps(), s);
    expect(result).toMatchObject({ duplicate: true, status: 'enqueued' });
    expect(await p.drain('signals')).toHaveLength(1);
  });
});

describe('fan-out', () => {
  it('sends one command per auto-trading account, grouped by account, and skips the others', async () => {
    await ingestSignal(ingestDeps(), houseSignal('fan-1'));
    await p.drain('execution');
    expect(await fanOutSignal(ingestDeps(), 'house:fan-1')).toEqual({ commands: 2 });
    const messages = await p.drain('execution');
    const commands = messages.map((m) => ({
      ...executionCommandSchema.parse(JSON.parse(m.body)),
      group: m.group,
    }));
    expect(commands.map((c) => c.accountId).sort()).toEqual(['acc-a', 'acc-b']);
    for (const c of commands) expect(c.group).toBe(c.accountId);
    expect((await p.repos().signals.get('house:fan-1'))?.status).toBe('fanned-out');
  });

  it('does not fan out a signal again once it has been fanned out', async () => {
    await ingestSignal(ingestDeps(), houseSignal('fan-2'));
    await p.drain('execution');
    expect((await fanOutSignal(ingestDeps(), 'house:fan-2')).commands).toBe(2);
    await p.drain('execution');
    expect(await fanOutSignal(ingestDeps(), 'house:fan-2')).toEqual({ commands: 0 });
    expect(await p.drain('execution')).toEqual([]);
  });
});

describe('signal status', () => {
  it('never moves backwards: a late "enqueued" does not overwrite "fanned-out"', async () => {
    await ingestSignal(ingestDeps(), houseSignal('st-1'));
    await p.repos().signals.markStatus('house:st-1', 'fanned-out', 3);
    await p.repos().signals.markStatus('house:st-1', 'enqueued');
    expect(await p.repos().signals.get('house:st-1')).toMatchObject({ status: 'fanned-out', fannedOutTo: 3 });
  });
});
