import { describe, expect, it } from 'vitest';
import {
  changedSections,
  DEFAULT_SETTINGS,
  type SettingsRepository,
  SettingsVersionConflict,
  type StoredSettings,
  type UserSettings,
  updateSettings,
  userSettingsSchema,
} from '../../../shared/app/settings/user-settings.js';
import type { AuditEvent, AuditLog } from '../../../shared/ports/security.js';

class MemorySettings implements SettingsRepository {
  stored: StoredSettings | null = null;
  async get() {
    return this.stored;
  }
  async replace(_userId: string, settings: UserSettings, expectedVersion: number, at: string) {
    if ((this.stored?.version ?? 0) !== expectedVersion)
      throw new SettingsVersionConflict(this.stored?.version ?? 0);
    this.stored = { settings, version: expectedVersion + 1, updatedAt: at };
    return this.stored;
  }
}

class MemoryAudit implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(event: AuditEvent) {
    this.events.push(event);
  }
  async listForUser() {
    return { items: [...this.events].reverse() };
  }
}

const context = { at: '2026-11-25T12:00:00.000Z', ip: '203.0.113.9' };

describe('user settings', () => {
  it('has defaults that pass its own schema, with at most 50 open positions', () => {
    expect(userSettingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(DEFAULT_SETTINGS.risk.maxOpenPositions).toBe(50);
    expect(DEFAULT_SETTINGS.autoTrade).toBe(false);
  });

  it.each([
    ['a symbol on both lists', { symbols: { whitelist: ['BTC/USDT'], blacklist: ['BTC/USDT'] } }],
    ['a lower-case symbol', { symbols: { whitelist: ['btc/usdt'], blacklist: [] } }],
    ['too many open positions', { risk: { maxOpenPositions: 501 } }],
    ['a negative loss limit', { risk: { maxOpenPositions: 5, dailyLossLimitQuote: '-1' } }],
    ['DCA defaults without a take-profit', { dcaDefaults: { side: 'long', baseOrderQuote: '10' } }],
    ['an unknown field', { leverage: 100 }],
  ])('refuses %s', (_name, change) => {
    expect(userSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...change }).success).toBe(false);
  });

  it('names the sections that changed', () => {
    const after = { ...DEFAULT_SETTINGS, killSwitch: true, risk: { maxOpenPositions: 10 } };
    expect(changedSections(DEFAULT_SETTINGS, after)).toEqual(['risk', 'killSwitch']);
  });

  it('saves against the version it was edited from, audits the change and the kill switch apart', async () => {
    const deps = { settings: new MemorySettings(), audit: new MemoryAudit() };
    const first = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: { ...DEFAULT_SETTINGS, killSwitch: true } },
      context,
    );
    expect(first.version).toBe(1);
    expect(deps.audit.events.map((e) => [e.type, e.details])).toEqual([
      ['settings.changed', { sections: 'killSwitch', version: 1 }],
      ['kill-switch.changed', { on: true }],
    ]);
    await expect(
      updateSettings(deps, 'u1', { expectedVersion: 0, settings: DEFAULT_SETTINGS }, context),
    ).rejects.toBeInstanceOf(SettingsVersionConflict);
  });

  it('does not bump the version or audit when nothing changed', async () => {
    const deps = { settings: new MemorySettings(), audit: new MemoryAudit() };
    const same = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: DEFAULT_SETTINGS },
      context,
    );
    expect(same.version).toBe(0);
    expect(deps.audit.events).toEqual([]);
  });
});
