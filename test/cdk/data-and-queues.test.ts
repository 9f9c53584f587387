// The stateful resources: one table and the queue pairs, each shaped by shared/wiring/resources.ts.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../shared/wiring/manifest.js';
import { MAIN_TABLE, QUEUE_IDS, QUEUES, queueName } from '../../shared/wiring/resources.js';
import { referencedLogicalIds, resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
});

describe('main table', () => {
  it('is a single on-demand table with point-in-time recovery on', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [
        { AttributeName: MAIN_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: MAIN_TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('expires items through the TTL attribute', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: MAIN_TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('has every global index of the resource declaration', () => {
    for (const index of MAIN_TABLE.globalIndexes) {
      synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayWith([
          Match.objectLike({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ]),
      });
    }
  });

  it('is deleted with a dev stack', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('queues', () => {
  const queueResource = (name: string) => {
    const found = resourcesOfType(synth.resources, 'AWS::SQS::Queue').find(
      ([, queue]) => queue.Properties?.QueueName === name,
    );
    if (!found) throw new Error(`No queue named ${name}`);
    return found;
  };

  it('creates a queue and a dead-letter queue per declared queue, and nothing else', () => {
    synth.template.resourceCountIs('AWS::SQS::Queue', QUEUE_IDS.length * 2);
  });

  it.each(QUEUE_IDS)('%s redrives to its own DLQ after maxReceiveCount receives', (id) => {
    const def = QUEUES[id];
    const [dlqId] = queueResource(queueName('verzek-dev', def, true));
    const [, queue] = queueResource(queueName('verzek-dev', def));
    expect(queue.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: def.maxReceiveCount,
    });
  });

  it.each(QUEUE_IDS)('%s has its visibility timeout, retention and SQS-managed encryption', (id) => {
    const def = QUEUES[id];
    const [, queue] = queueResource(queueName('verzek-dev', def));
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: def.visibilityTimeoutSeconds,
      MessageRetentionPeriod: def.retentionDays * 86_400,
      SqsManagedSseEnabled: true,
    });
    const [, dlq] = queueResource(queueName('verzek-dev', def, true));
    expect(dlq.Properties?.SqsManagedSseEnabled).toBe(true);
  });

  it('makes the execution queue and its DLQ FIFO, deduplicated by our ids rather than by content', () => {
    expect(QUEUES.execution.fifo).toBe(true);
    for (const name of ['verzek-dev-execution.fifo', 'verzek-dev-execution-dlq.fifo']) {
      const [, queue] = queueResource(name);
      expect(queue.Properties).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false });
    }
  });

  it('keeps standard queues standard', () => {
    for (const id of QUEUE_IDS.filter((q) => !QUEUES[q].fifo)) {
      const [, queue] = queueResource(queueName('verzek-dev', QUEUES[id]));
      expect(queue.Properties?.FifoQueue).toBeUndefined();
    }
  });

  it('refuses non-TLS access to every queue', () => {
    const policies = resourcesOfType(synth.resources, 'AWS::SQS::QueuePolicy');
    for (const [queueId] of resourcesOfType(synth.resources, 'AWS::SQS::Queue')) {
      const statements = policies
        .filter(([, policy]) => referencedLogicalIds(policy.Properties?.Queues).has(queueId))
        .flatMap(
          ([, policy]) =>
            (policy.Properties?.PolicyDocument as { Statement?: unknown[] } | undefined)?.Statement ?? [],
        );
      expect(statements, queueId).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('gives each queue consumer a timeout within the queue visibility timeout', () => {
    const ratios: string[] = [];
    for (const fn of deployedFunctions()) {
      if (fn.trigger.kind !== 'queue') continue;
      const visibility = QUEUES[fn.trigger.queue].visibilityTimeoutSeconds;
      expect(visibility, `${fn.trigger.queue} visibility vs ${fn.id} timeout`).toBeGreaterThanOrEqual(
        fn.timeoutSeconds,
      );
      ratios.push(`${fn.trigger.queue}/${fn.id}: ${(visibility / fn.timeoutSeconds).toFixed(1)}x`);
    }
    // AWS recommends 6x; reported rather than enforced (bot ticks are deliberately short-lived).
    console.info(`visibility / consumer timeout: ${ratios.join(', ')}`);
  });
});
