// One Lambda per deployed manifest entry, with the shared defaults and exactly the environment its
// access block grants (shared/wiring/function-environment.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ONLY_KEYS } from '../../cdk/lib/functions.js';
import {
  environmentKeysFor,
  readFunctionEnv,
  secretEnvKey,
} from '../../shared/wiring/function-environment.js';
import { deployedFunctions, FUNCTIONS, type SecretName } from '../../shared/wiring/manifest.js';
import { QUEUES } from '../../shared/wiring/resources.js';
import {
  type CfnResource,
  cdkJsonContext,
  resourcesOfType,
  type SynthesizedStack,
  synthesize,
} from './stack-fixture.js';

const SECRET_NAMES: readonly SecretName[] = [
  'HOUSE_ENGINE_TOKEN',
  'HOUSE_SIGNING_SECRET',
  'JWT_PRIVATE_KEY',
  'ALTCHA_HMAC_KEY',
  'RESEND_API_KEY',
];
/** Keys the cloud leaves unset on purpose (the CDK app's own list). */
const CLOUDLESS_KEYS: readonly string[] = [...LOCAL_ONLY_KEYS];

let synth: SynthesizedStack;
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
});

const lambdaOf = (functionId: string): CfnResource => {
  const lambda = synth.resources[synth.functionLogicalId(functionId)];
  if (!lambda) throw new Error(`No Lambda for ${functionId}`);
  return lambda;
};
const envOf = (functionId: string) =>
  ((lambdaOf(functionId).Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables ?? {}) as Record<string, unknown>;
const functionTag = (lambda: CfnResource) =>
  (lambda.Properties?.Tags as { Key: string; Value: string }[] | undefined)?.find(
    (t) => t.Key === 'verzek:function',
  )?.Value;

describe('deployed functions', () => {
  it('deploys one Lambda per deployed manifest function and none for local-only ones', () => {
    const lambdas = resourcesOfType(synth.resources, 'AWS::Lambda::Function');
    const ours = lambdas.map(([, lambda]) => functionTag(lambda)).filter((id) => id !== undefined);
    expect(ours.sort()).toEqual(
      deployedFunctions()
        .map((fn) => fn.id)
        .sort(),
    );
    expect(ours).not.toContain('DevLogin');
    expect(FUNCTIONS.find((fn) => fn.id === 'DevLogin')?.localOnly).toBe(true);
    // The only other Lambda is CDK's own custom-resource provider (it closes the VPC's default SG).
    const others = lambdas.filter(([, lambda]) => functionTag(lambda) === undefined).map(([id]) => id);
    expect(others.every((id) => id.startsWith('Custom'))).toBe(true);
  });

  it.each(deployedFunctions().map((fn) => [fn.id, fn] as const))(
    '%s runs Node 22 on arm64 with X-Ray tracing, its timeout and memory',
    (id, fn) => {
      expect(lambdaOf(id).Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Timeout: fn.timeoutSeconds,
        MemorySize: fn.memoryMb,
      });
    },
  );

  it('logs every function to its own log group kept for a month', () => {
    for (const fn of deployedFunctions()) {
      const logging = lambdaOf(fn.id).Properties?.LoggingConfig as { LogGroup: { Ref: string } };
      const logGroup = synth.resources[logging.LogGroup.Ref];
      expect(logGroup?.Type, fn.id).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties?.RetentionInDays, fn.id).toBe(30);
    }
  });
});

describe('function environment', () => {
  it.each(deployedFunctions().map((fn) => [fn.id, fn] as const))(
    '%s gets exactly the keys its access grants, plus stage and logging settings',
    (id, fn) => {
      const expected = [
        'STAGE',
        'LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        ...Object.keys(fn.environment ?? {}),
        ...environmentKeysFor(fn).filter((key) => !CLOUDLESS_KEYS.includes(key)),
        ...fn.access.secrets.map((secret) => secretEnvKey(secret, 'arn')),
      ];
      expect(Object.keys(envOf(id)).sort()).toEqual([...new Set(expected)].sort());
      expect(envOf(id)).toMatchObject({ STAGE: 'dev', LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: 'verzek' });
    },
  );

  it('points TABLE_NAME and queue URL variables at the stack’s own table and queues', () => {
    const [tableId] = resourcesOfType(synth.resources, 'AWS::DynamoDB::Table')[0] ?? [];
    const queueIds = Object.fromEntries(
      resourcesOfType(synth.resources, 'AWS::SQS::Queue').map(([logicalId, q]) => [
        q.Properties?.QueueName,
        logicalId,
      ]),
    );
    for (const fn of deployedFunctions()) {
      const env = envOf(fn.id);
      if (fn.access.table !== 'none') expect(env.TABLE_NAME, fn.id).toEqual({ Ref: tableId });
      for (const def of Object.values(QUEUES)) {
        if (env[def.envVar] === undefined) continue;
        const name = `verzek-dev-${def.id}${def.fifo ? '.fifo' : ''}`;
        expect(env[def.envVar], `${fn.id} ${def.envVar}`).toEqual({ Ref: queueIds[name] });
      }
    }
  });

  it('gives HTTP functions the stage’s JWT issuer, audience and public JWKS from cdk.json', () => {
    const jwks = cdkJsonContext()['verzek:jwtPublicJwks'];
    for (const fn of deployedFunctions().filter((f) => f.trigger.kind === 'http')) {
      const env = envOf(fn.id);
      expect(env.JWT_ISSUER, fn.id).toBe('verzek-dev');
      expect(env.JWT_AUDIENCE, fn.id).toBe('verzek-api');
      expect(JSON.parse(String(env.JWT_PUBLIC_JWKS)), fn.id).toEqual(jwks);
    }
  });

  it('sets every variable each function needs to start: its env parses with every key the manifest grants', () => {
    // CloudFormation references become plausible deployed values; Lambda itself supplies AWS_REGION.
    const resolved = (key: string, value: unknown): string => {
      if (typeof value === 'string') return value;
      if (key.endsWith('_QUEUE_URL')) return 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
      if (key.endsWith('_SECRET_ARN')) return 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s';
      return 'deployed-value';
    };
    for (const fn of deployedFunctions()) {
      const env = Object.fromEntries(Object.entries(envOf(fn.id)).map(([k, v]) => [k, resolved(k, v)]));
      expect(
        () => readFunctionEnv(fn, environmentKeysFor(fn), { ...env, AWS_REGION: 'us-east-1' }),
        fn.id,
      ).not.toThrow();
    }
  });

  it('never sets the paper-market replay variables in the cloud (there is no replay data there)', () => {
    for (const fn of deployedFunctions()) {
      for (const key of CLOUDLESS_KEYS) expect(envOf(fn.id), fn.id).not.toHaveProperty(key);
    }
  });

  it('carries secrets only as *_SECRET_ARN references, never as values', () => {
    const secretIds = new Set(
      resourcesOfType(synth.resources, 'AWS::SecretsManager::Secret').map(([id]) => id),
    );
    for (const fn of deployedFunctions()) {
      const env = envOf(fn.id);
      for (const name of SECRET_NAMES) expect(env, fn.id).not.toHaveProperty(name);
      for (const [key, value] of Object.entries(env)) {
        if (!key.endsWith('_SECRET_ARN')) continue;
        expect(value, `${fn.id} ${key}`).toEqual({ Ref: expect.any(String) });
        expect(secretIds.has((value as { Ref: string }).Ref), `${fn.id} ${key}`).toBe(true);
      }
    }
  });

  it('makes one secret per secret a deployed function reads; generates the house token, signing secret and CAPTCHA key', () => {
    const read = new Set(deployedFunctions().flatMap((fn) => fn.access.secrets));
    expect([...read].sort()).toEqual([...SECRET_NAMES].sort());
    synth.template.resourceCountIs('AWS::SecretsManager::Secret', read.size);
    for (const name of ['house-engine-token', 'altcha-hmac-key']) {
      synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `verzek-dev/${name}`,
        GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
      });
    }
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'verzek-dev/house-signing-secret',
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    // Operator-set (docs/deploy.md): the stack only creates them.
    for (const name of ['jwt-private-key', 'resend-api-key']) {
      synth.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `verzek-dev/${name}` });
    }
  });
});
