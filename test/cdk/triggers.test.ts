// Every trigger in the manifest becomes the matching AWS wiring: HTTP routes, EventBridge rules with
// the scheduled-event payload, and SQS event source mappings with partial batch failure reporting.
import { beforeAll, describe, expect, it } from 'vitest';
import { BOTS, deployedFunctions, FUNCTIONS } from '../../shared/wiring/manifest.js';
import { QUEUES, queueName } from '../../shared/wiring/resources.js';
import { referencedLogicalIds, resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
});

describe('HTTP API', () => {
  const httpFunctions = deployedFunctions().filter((fn) => fn.trigger.kind === 'http');

  it('has exactly one route per deployed HTTP function, e.g. POST /api/house-signals/ingest', () => {
    const routeKeys = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties?.RouteKey,
    );
    const expected = httpFunctions.map((fn) =>
      fn.trigger.kind === 'http' ? `${fn.trigger.method} ${fn.trigger.path}` : '',
    );
    expect(routeKeys.sort()).toEqual(expected.sort());
    expect(routeKeys).toContain('POST /api/house-signals/ingest');
    expect(routeKeys).not.toContain('POST /api/dev/login');
  });

  it.each(httpFunctions.map((fn) => [fn.id, fn] as const))('routes %s to its own Lambda', (id, fn) => {
    if (fn.trigger.kind !== 'http') throw new Error('unreachable');
    const routeKey = `${fn.trigger.method} ${fn.trigger.path}`;
    const [, route] =
      resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Route').find(
        ([, r]) => r.Properties?.RouteKey === routeKey,
      ) ?? [];
    const [integrationId] = referencedLogicalIds(route?.Properties?.Target);
    const integration = synth.resources[integrationId ?? ''];
    expect(referencedLogicalIds(integration?.Properties?.IntegrationUri)).toContain(
      synth.functionLogicalId(id),
    );
  });

  it('throttles the default stage and writes JSON access logs to a log group', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
    const [, stage] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Stage')[0] ?? [];
    const logs = stage?.Properties?.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const [logGroupId] = referencedLogicalIds(logs.DestinationArn);
    expect(synth.resources[logGroupId ?? '']?.Type).toBe('AWS::Logs::LogGroup');
    expect(JSON.parse(logs.Format)).toMatchObject({ requestId: '$context.requestId' });
  });

  it('leaves CORS off and outputs the API URL', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const [apiId, api] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Api')[0] ?? [];
    expect(api?.Properties?.CorsConfiguration).toBeUndefined();
    expect(synth.outputs.ApiUrl?.Value).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
  });
});

describe('schedules', () => {
  const rules = () =>
    resourcesOfType(synth.resources, 'AWS::Events::Rule').map(([, rule]) => rule.Properties ?? {});
  const targetOf = (rule: Record<string, unknown>) =>
    (
      rule.Targets as {
        Arn: unknown;
        InputTransformer: { InputTemplate: string; InputPathsMap: unknown };
        RetryPolicy: unknown;
      }[]
    )[0];

  it('has one EventBridge rule per bot', () => {
    expect(rules()).toHaveLength(BOTS.length);
    expect(BOTS).toHaveLength(4);
  });

  it.each([
    ['scalping', 'rate(1 minute)'],
    ['qfl', 'rate(1 minute)'],
    ['ai', 'rate(1 minute)'],
    ['trend', 'rate(5 minutes)'],
  ])('fires the %s dispatcher at %s', (bot, expression) => {
    const rule = rules().find((r) => targetOf(r)?.InputTransformer.InputTemplate.includes(`"bot":"${bot}"`));
    expect(rule?.ScheduleExpression).toBe(expression);
  });

  it('sends the scheduled-event payload { rule, time, detail } to the tick dispatcher', () => {
    const dispatcher = synth.functionLogicalId('DispatchBotTicks');
    for (const rule of rules()) {
      const target = targetOf(rule);
      expect(referencedLogicalIds(target?.Arn)).toContain(dispatcher);
      expect(target?.InputTransformer.InputPathsMap).toEqual({ time: '$.time' });
      const payload = JSON.parse(
        (target?.InputTransformer.InputTemplate ?? '').replace('<time>', '"2025-01-01T00:00:00Z"'),
      );
      const bot = String(payload.detail.bot);
      expect(payload).toEqual({ rule: `bot-${bot}`, time: '2025-01-01T00:00:00Z', detail: { bot } });
    }
  });

  it('retries a failed tick twice within two minutes, then drops it as stale', () => {
    for (const rule of rules()) {
      expect(targetOf(rule)?.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 });
    }
  });
});

describe('queue consumers', () => {
  const queueConsumers = deployedFunctions().filter((fn) => fn.trigger.kind === 'queue');

  it('maps every queue-triggered function, and only those', () => {
    synth.template.resourceCountIs('AWS::Lambda::EventSourceMapping', queueConsumers.length);
  });

  it.each(queueConsumers.map((fn) => [fn.id, fn] as const))(
    '%s consumes its queue in batches, reporting failed items',
    (id, fn) => {
      if (fn.trigger.kind !== 'queue') throw new Error('unreachable');
      const def = QUEUES[fn.trigger.queue];
      const [queueId] =
        resourcesOfType(synth.resources, 'AWS::SQS::Queue').find(
          ([, q]) => q.Properties?.QueueName === queueName('verzek-dev', def),
        ) ?? [];
      const [, mapping] =
        resourcesOfType(synth.resources, 'AWS::Lambda::EventSourceMapping').find(([, m]) =>
          referencedLogicalIds(m.Properties?.FunctionName).has(synth.functionLogicalId(id)),
        ) ?? [];
      expect(mapping?.Properties).toMatchObject({
        BatchSize: fn.trigger.batchSize,
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const window = mapping?.Properties?.MaximumBatchingWindowInSeconds;
      if (def.fifo || fn.trigger.maxBatchingWindowSeconds === undefined) expect(window).toBeUndefined();
      else expect(window).toBe(fn.trigger.maxBatchingWindowSeconds);
    },
  );

  it('keeps FIFO batches within the 10-message limit', () => {
    for (const fn of FUNCTIONS) {
      if (fn.trigger.kind === 'queue' && QUEUES[fn.trigger.queue].fifo) {
        expect(fn.trigger.batchSize, fn.id).toBeLessThanOrEqual(10);
      }
    }
  });
});
