// What changes between stages, and the context checks that stop a bad deployment at synth time.

import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/lib/app.js';
import { readDeploymentSettings } from '../../cdk/lib/settings.js';
import { DEFAULT_CLOUD_UNIVERSE } from '../../shared/app/bots/bot-config.js';
import { cdkJsonContext, resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

let prod: SynthesizedStack;
beforeAll(() => {
  prod = synthesize({ stage: 'prod' });
});

describe('prod stage', () => {
  it('is the stack Verzek-prod, protected from termination', () => {
    expect(prod.stack.stackName).toBe('Verzek-prod');
    expect(prod.stack.terminationProtection).toBe(true);
  });

  it('retains the table, queues, secrets and logs when the stack goes', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
    ]) {
      for (const [id, resource] of resourcesOfType(prod.resources, type)) {
        expect(resource.DeletionPolicy, `${type} ${id}`).toBe('Retain');
      }
    }
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('gives RunBot the default bot universe, and only RunBot', () => {
    const runBot = JSON.stringify(prod.resources[prod.functionLogicalId('RunBot')]?.Properties?.Environment);
    expect(runBot).toContain(`"BOT_UNIVERSE":"${DEFAULT_CLOUD_UNIVERSE.join(',')}"`);
    const ingest = JSON.stringify(prod.resources[prod.functionLogicalId('IngestHouseSignal')]?.Properties);
    expect(ingest).not.toContain('BOT_UNIVERSE');
  });

  it('names queues, secrets and the JWT issuer after the stage', () => {
    prod.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'verzek-prod-execution.fifo' });
    prod.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'verzek-prod/house-engine-token',
    });
    const ingest = prod.resources[prod.functionLogicalId('IngestHouseSignal')];
    expect(JSON.stringify(ingest?.Properties?.Environment)).toContain('"JWT_ISSUER":"verzek-prod"');
  });
});

describe('deployment context', () => {
  const context = cdkJsonContext();

  it('defaults to the dev stage', () => {
    const settings = readDeploymentSettings(new App({ context }).node);
    expect(settings.stage).toBe('dev');
    expect(settings.jwtIssuer).toBe('verzek-dev');
  });

  it('rejects a stage the functions would not accept', () => {
    expect(() => buildApp({ stage: 'staging', bundling: false, context })).toThrow(/stage.*dev, prod/);
    expect(() => buildApp({ stage: 'local', bundling: false, context })).toThrow(/stage/);
  });

  it('takes the bot universe from context as a list or a comma-separated string, and refuses a bad one', () => {
    const list = readDeploymentSettings(
      new App({ context: { ...context, 'verzek:botUniverse': ['BTC/USDT', 'ETH/USDT'] } }).node,
    );
    expect(list.botUniverse).toBe('BTC/USDT,ETH/USDT');
    const text = readDeploymentSettings(
      new App({ context: { ...context, 'verzek:botUniverse': 'SOL/USDT' } }).node,
    );
    expect(text.botUniverse).toBe('SOL/USDT');
    expect(() =>
      buildApp({ bundling: false, context: { ...context, 'verzek:botUniverse': 'btc-usdt' } }),
    ).toThrow(/verzek:botUniverse/);
  });

  it('rejects a missing or malformed public JWKS before anything deploys', () => {
    const { 'verzek:jwtPublicJwks': _jwks, ...withoutJwks } = context;
    expect(() => buildApp({ bundling: false, context: withoutJwks })).toThrow(/verzek:jwtPublicJwks/);
    expect(() =>
      buildApp({ bundling: false, context: { ...context, 'verzek:jwtPublicJwks': '{"keys":[]}' } }),
    ).toThrow(/JSON Web Key Set/);
  });
});
