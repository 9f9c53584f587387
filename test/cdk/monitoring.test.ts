// Alarms that page a human and the per-stage dashboard.
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../shared/wiring/manifest.js';
import { QUEUE_IDS, QUEUES, queueName } from '../../shared/wiring/resources.js';
import { type CfnResource, resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

let synth: SynthesizedStack;
let topicId: string;
let alarms: CfnResource[];
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
  topicId = resourcesOfType(synth.resources, 'AWS::SNS::Topic')[0]?.[0] ?? '';
  alarms = resourcesOfType(synth.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm);
});

const queueLogicalId = (name: string) =>
  resourcesOfType(synth.resources, 'AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === name)?.[0];
const alarmsOnQueue = (name: string, metric: string) =>
  alarms.filter(
    (alarm) =>
      alarm.Properties?.MetricName === metric &&
      JSON.stringify(alarm.Properties?.Dimensions).includes(`"${queueLogicalId(name)}"`),
  );

describe('alarms', () => {
  it('publishes to one SNS alarm topic, exported for subscriptions', () => {
    synth.template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(synth.outputs.AlarmTopicArn?.Value).toEqual({ Ref: topicId });
  });

  it.each(QUEUE_IDS)('alarms as soon as the %s DLQ holds its threshold of messages', (id) => {
    const def = QUEUES[id];
    const [alarm, ...rest] = alarmsOnQueue(
      queueName('verzek-dev', def, true),
      'ApproximateNumberOfMessagesVisible',
    );
    expect(rest).toHaveLength(0);
    expect(alarm?.Properties).toMatchObject({
      Threshold: def.dlqAlarmThreshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Period: 60,
    });
  });

  it.each(QUEUE_IDS)('alarms when the %s queue keeps a backlog for five minutes', (id) => {
    const def = QUEUES[id];
    const [alarm] = alarmsOnQueue(queueName('verzek-dev', def), 'ApproximateNumberOfMessagesVisible');
    expect(alarm?.Properties).toMatchObject({
      Threshold: def.backlogAlarmThreshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      Period: 60,
    });
  });

  it.each(QUEUE_IDS)(
    'alarms when a %s message waits too long (a consumer failing it per message), if the queue sets a limit',
    (id) => {
      const def = QUEUES[id];
      const alarms = alarmsOnQueue(queueName('verzek-dev', def), 'ApproximateAgeOfOldestMessage');
      if (def.oldestMessageAlarmSeconds === undefined) {
        expect(alarms).toHaveLength(0);
        return;
      }
      expect(alarms).toHaveLength(1);
      expect(alarms[0]?.Properties).toMatchObject({
        Threshold: def.oldestMessageAlarmSeconds,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Period: 60,
      });
    },
  );

  it('watches the age of the signal and execution queues, where a stuck message means a missed trade', () => {
    expect(QUEUES.signals.oldestMessageAlarmSeconds).toBeDefined();
    expect(QUEUES.execution.oldestMessageAlarmSeconds).toBeDefined();
  });

  it('alarms on errors of every deployed function', () => {
    const errorAlarms = alarms.filter((alarm) => alarm.Properties?.MetricName === 'Errors');
    const watched = errorAlarms.map((alarm) => JSON.stringify(alarm.Properties?.Dimensions));
    for (const fn of deployedFunctions()) {
      expect(
        watched.some((dims) => dims.includes(`"${synth.functionLogicalId(fn.id)}"`)),
        fn.id,
      ).toBe(true);
    }
    expect(errorAlarms).toHaveLength(deployedFunctions().length);
  });

  it('notifies the topic on alarm and recovery, and treats missing data as fine', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
        TreatMissingData: 'notBreaching',
      });
    }
  });
});

describe('dashboard', () => {
  const body = () => {
    const [, dashboard] = resourcesOfType(synth.resources, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    return {
      name: dashboard?.Properties?.DashboardName,
      text: JSON.stringify(dashboard?.Properties?.DashboardBody),
    };
  };

  it('exists per stage as Verzek-<stage>', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(body().name).toBe('Verzek-dev');
  });

  it('shows signals, executions, errors, DLQ depth, duration and throttles', () => {
    const { text } = body();
    for (const title of [
      'Signals',
      'Executions',
      'Errors',
      'DLQ depth',
      'Duration p50 / p99 (ms)',
      'Throttles',
    ]) {
      expect(text).toContain(`\\"title\\":\\"${title}\\"`);
    }
    for (const metric of [
      'NumberOfMessagesSent',
      'NumberOfMessagesDeleted',
      'Invocations',
      'Duration',
      'Throttles',
    ]) {
      expect(text).toContain(metric);
    }
    expect(text).toContain('p99');
  });

  it('charts every DLQ and every function', () => {
    const { text } = body();
    for (const id of QUEUE_IDS) expect(text).toContain(`${id} DLQ`);
    for (const fn of deployedFunctions()) expect(text).toContain(synth.functionLogicalId(fn.id));
  });
});
