// One CloudWatch dashboard per stage that follows a signal: ingested → fanned out → executed, with
// the failure views (errors, DLQ depth, latency, throttles) an operator checks first.
import { aws_cloudwatch as cloudwatch, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeployedFunction } from './functions.js';
import type { QueuePair } from './queues.js';
import type { DeploymentSettings } from './settings.js';

const PERIOD = Duration.minutes(1);
const WIDTH = 12;
const HEIGHT = 6;

export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(
    scope: Construct,
    id: string,
    settings: DeploymentSettings,
    functions: ReadonlyMap<string, DeployedFunction>,
    queues: Readonly<Record<string, QueuePair>>,
  ) {
    super(scope, id);
    const all = [...functions.values()];
    const fn = (functionId: string) => {
      const found = functions.get(functionId);
      if (!found) throw new Error(`Dashboard: no deployed function ${functionId}`);
      return found.fn;
    };
    const queue = (queueId: string) => {
      const found = queues[queueId];
      if (!found) throw new Error(`Dashboard: no queue ${queueId}`);
      return found.queue;
    };
    const perFunction = (label: string, metric: (f: DeployedFunction) => cloudwatch.Metric) =>
      all.map((f) => metric(f).with({ label: `${f.definition.id} ${label}`.trim(), period: PERIOD }));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Verzek-${settings.stage}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      graph('Signals', [
        fn('IngestHouseSignal').metricInvocations({ label: 'IngestHouseSignal invocations', period: PERIOD }),
        queue('signals').metricNumberOfMessagesSent({ label: 'signals queue: sent', period: PERIOD }),
      ]),
      graph('Executions', [
        fn('ExecuteSignal').metricInvocations({ label: 'ExecuteSignal invocations', period: PERIOD }),
        queue('execution').metricNumberOfMessagesDeleted({ label: 'execution queue: done', period: PERIOD }),
      ]),
      graph(
        'Errors',
        perFunction('', (f) => f.fn.metricErrors({ statistic: 'Sum' })),
      ),
      graph(
        'DLQ depth',
        Object.values(queues).map((q) =>
          q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: `${q.definition.id} DLQ`,
            period: PERIOD,
            statistic: 'Maximum',
          }),
        ),
      ),
      graph('Duration p50 / p99 (ms)', [
        ...perFunction('p50', (f) => f.fn.metricDuration({ statistic: 'p50' })),
        ...perFunction('p99', (f) => f.fn.metricDuration({ statistic: 'p99' })),
      ]),
      graph(
        'Throttles',
        perFunction('', (f) => f.fn.metricThrottles({ statistic: 'Sum' })),
      ),
    );
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT });
}
