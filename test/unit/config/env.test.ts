import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from '../../../shared/config/env.js';
import { environmentKeysFor, readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const base = { STAGE: 'local', AWS_REGION: 'us-east-1' };

describe('environment', () => {
  it('names every missing and malformed variable in one error, without echoing values', () => {
    const secretLooking = 'not-a-url-but-secret-XYZ';
    try {
      readEnv(['TABLE_NAME', 'SIGNAL_QUEUE_URL', 'PAPER_REPLAY_SPEED'], {
        ...base,
        SIGNAL_QUEUE_URL: secretLooking,
        PAPER_REPLAY_SPEED: '-3',
      });
      expect.unreachable('readEnv should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('TABLE_NAME: missing');
      expect(message).toMatch(/SIGNAL_QUEUE_URL: .*/);
      expect(message).toContain('PAPER_REPLAY_SPEED');
      expect(message).not.toContain(secretLooking);
    }
  });

  it('parses what it is asked for and applies defaults', () => {
    const env = readEnv(['TABLE_NAME'], { ...base, TABLE_NAME: 't' });
    expect(env).toMatchObject({ STAGE: 'local', TABLE_NAME: 't', LOG_LEVEL: 'INFO' });
  });

  it('refuses a stage outside local, dev and prod', () => {
    expect(() => readEnv([], { ...base, STAGE: 'production' })).toThrow(/STAGE/);
  });

  it('reads the bot universe as a list of symbols, and refuses anything else', () => {
    expect(readEnv(['BOT_UNIVERSE'], { ...base, BOT_UNIVERSE: 'BTC/USDT,ETH/USDT' }).BOT_UNIVERSE).toEqual([
      'BTC/USDT',
      'ETH/USDT',
    ]);
    expect(readEnv(['BOT_UNIVERSE'], base).BOT_UNIVERSE).toBeUndefined();
    for (const bad of ['', 'BTCUSDT', 'BTC/USDT,', 'btc/usdt', 'BTC/USDT ETH/USDT']) {
      expect(() => readEnv(['BOT_UNIVERSE'], { ...base, BOT_UNIVERSE: bad }), bad).toThrow(/BOT_UNIVERSE/);
    }
  });

  it('refuses a JWKS that is not JSON', () => {
    expect(() => readEnv(['JWT_PUBLIC_JWKS'], { ...base, JWT_PUBLIC_JWKS: '{oops' })).toThrow(
      /JWT_PUBLIC_JWKS/,
    );
  });
});

describe('function environment', () => {
  it('gives each function only the variables its access declares', () => {
    expect(environmentKeysFor(functionById('IngestHouseSignal'))).toEqual([
      'JWT_AUDIENCE',
      'JWT_ISSUER',
      'JWT_PUBLIC_JWKS',
      'SIGNAL_QUEUE_URL',
      'TABLE_NAME',
    ]);
    expect(environmentKeysFor(functionById('FanOutSignal'))).toEqual([
      'EXECUTION_QUEUE_URL',
      'SIGNAL_QUEUE_URL',
      'TABLE_NAME',
    ]);
  });

  it('refuses a handler that reads a variable the manifest does not grant', () => {
    expect(() => readFunctionEnv(functionById('ListPositions'), ['SIGNAL_QUEUE_URL'], base)).toThrow(
      /does not grant/,
    );
  });

  it('requires each secret as a value or as a Secrets Manager ARN', () => {
    const fn = functionById('IngestHouseSignal');
    const env = {
      ...base,
      TABLE_NAME: 't',
      SIGNAL_QUEUE_URL: 'http://127.0.0.1:1/q',
    };
    expect(() => readFunctionEnv(fn, ['TABLE_NAME'], env)).toThrow(/HOUSE_ENGINE_TOKEN: missing/);
    expect(() => readFunctionEnv(fn, ['TABLE_NAME'], env)).toThrow(/HOUSE_SIGNING_SECRET: missing/);
    expect(() =>
      readFunctionEnv(fn, ['TABLE_NAME'], { ...env, HOUSE_ENGINE_TOKEN_SECRET_ARN: 'arn:x' }),
    ).toThrow(/HOUSE_SIGNING_SECRET: missing/);
    const both = { ...env, HOUSE_ENGINE_TOKEN_SECRET_ARN: 'arn:x', HOUSE_SIGNING_SECRET: 's'.repeat(32) };
    expect(readFunctionEnv(fn, ['TABLE_NAME'], both).TABLE_NAME).toBe('t');
  });
});

describe('EXCHANGE_BASE_URLS', () => {
  const base = { STAGE: 'local', AWS_REGION: 'us-east-1' };

  it('takes some exchanges, not necessarily all four', () => {
    const env = readEnv(['EXCHANGE_BASE_URLS'], {
      ...base,
      EXCHANGE_BASE_URLS: '{"binance":"http://127.0.0.1:4100"}',
    });
    expect(env.EXCHANGE_BASE_URLS).toEqual({ binance: 'http://127.0.0.1:4100' });
  });

  it.each([
    ['not JSON', 'binance=http://x'],
    ['an unknown exchange', '{"ftx":"http://127.0.0.1:1"}'],
    ['a URL that is not http(s)', '{"bybit":"ftp://127.0.0.1:1"}'],
  ])('refuses %s, naming the variable', (_name, value) => {
    expect(() => readEnv(['EXCHANGE_BASE_URLS'], { ...base, EXCHANGE_BASE_URLS: value })).toThrow(
      /EXCHANGE_BASE_URLS/,
    );
  });
});
