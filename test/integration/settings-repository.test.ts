import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSettingsRepository } from '../../shared/adapters/dynamodb/settings-repository.js';
import { DEFAULT_SETTINGS, SettingsVersionConflict } from '../../shared/app/settings/user-settings.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

describe('DynamoSettingsRepository', () => {
  it('creates version 1 once, then only replaces the version it was given', async () => {
    const repo = new DynamoSettingsRepository(services.db, services.tableName);
    expect(await repo.get('u-set')).toBeNull();
    await repo.replace('u-set', DEFAULT_SETTINGS, 0, '2026-11-25T12:00:00Z');
    await expect(repo.replace('u-set', DEFAULT_SETTINGS, 0, '2026-11-25T12:00:01Z')).rejects.toMatchObject({
      currentVersion: 1,
    });
    const second = await repo.replace(
      'u-set',
      { ...DEFAULT_SETTINGS, autoTrade: true },
      1,
      '2026-11-25T12:00:02Z',
    );
    expect(second.version).toBe(2);
    await expect(repo.replace('u-set', DEFAULT_SETTINGS, 1, '2026-11-25T12:00:03Z')).rejects.toBeInstanceOf(
      SettingsVersionConflict,
    );
    expect(await repo.get('u-set')).toMatchObject({ version: 2, settings: { autoTrade: true } });
  });

  it("keeps one user's settings out of another's reach", async () => {
    const repo = new DynamoSettingsRepository(services.db, services.tableName);
    await repo.replace('u-a', { ...DEFAULT_SETTINGS, killSwitch: true }, 0, '2026-11-25T12:00:00Z');
    expect(await repo.get('u-b')).toBeNull();
  });
});
