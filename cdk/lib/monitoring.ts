// Alarms that need a human: a message parked in a DLQ, a queue that stops draining, a function that
// throws. All notify one SNS topic; missing data (an idle stage) is never an alarm.
import { aws_cloudwatch as cloudwatch, Duration, aws_sns as sns } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import type { DeployedFunction } from './functions.js';
import type { QueuePair } from './queues.js';

/** A backlog is a queue that stays at or above its threshold this many consecutive minutes. */
const BACKLOG_MINUTES = 5;

type AlarmSpec = Pick<
  cloudwatch.AlarmProps,
  'alarmDescription' | 'metric' | 'threshold' | 'evaluationPeriods'
>;

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    queues: readonly QueuePair[],
    functions: readonly DeployedFunction[],
  ) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'alarms', { displayName: 'Verzek alarms' });
    this.action = new SnsAction(this.topic);

    for (const { definition, queue, deadLetterQueue } of queues) {
      this.atOrAbove(`${definition.id}-dlq-depth`, {
        alarmDescription: `Messages parked in the ${definition.id} dead-letter queue: inspect, fix, redrive`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: definition.dlqAlarmThreshold,
        evaluationPeriods: 1,
      });
      // Depth rather than age: delayed bot ticks are invisible until due, and depth is what the
      // manifest's threshold speaks of. Minimum over each minute ignores a burst that drains quickly.
      this.atOrAbove(`${definition.id}-backlog`, {
        alarmDescription: `The ${definition.id} queue held ${definition.backlogAlarmThreshold}+ visible messages for ${BACKLOG_MINUTES} min: consumers failing or too slow`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Minimum',
        }),
        threshold: definition.backlogAlarmThreshold,
        evaluationPeriods: BACKLOG_MINUTES,
      });
      if (definition.oldestMessageAlarmSeconds !== undefined) {
        this.atOrAbove(`${definition.id}-oldest-message`, {
          alarmDescription: `A message waited ${definition.oldestMessageAlarmSeconds}+ s in the ${definition.id} queue: its consumer keeps failing it (see the function's logs) or is stalled`,
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: definition.oldestMessageAlarmSeconds,
          evaluationPeriods: 2,
        });
      }
    }

    for (const { definition, fn } of functions) {
      this.atOrAbove(`${definition.id}-errors`, {
        alarmDescription: `${definition.id} failed an invocation (unhandled error, timeout or crash)`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
  }

  private atOrAbove(id: string, spec: AlarmSpec): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...spec,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}
