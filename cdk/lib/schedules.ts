// EventBridge rate rules for scheduled functions. The input mirrors shared/wiring/scheduled-event.ts,
// which the local scheduler also sends, so a handler cannot tell cloud ticks from local ones.
import { Duration, aws_events as events, aws_events_targets as targets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeployedFunction } from './functions.js';

export class Schedules extends Construct {
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, functions: readonly DeployedFunction[]) {
    super(scope, id);
    const rules: events.Rule[] = [];
    for (const { definition, fn } of functions) {
      if (definition.trigger.kind !== 'schedule') continue;
      for (const rule of definition.trigger.rules) {
        const target = new targets.LambdaFunction(fn, {
          event: events.RuleTargetInput.fromObject({
            rule: rule.name,
            time: events.EventField.time,
            detail: rule.detail,
          }),
          // A tick that could not run within two minutes is stale: better skipped than run late.
          retryAttempts: 2,
          maxEventAge: Duration.minutes(2),
        });
        rules.push(
          new events.Rule(this, `${definition.id}-${rule.name}`, {
            description: `${definition.id}: ${rule.name} every ${rule.everyMinutes} min`,
            schedule: events.Schedule.rate(Duration.minutes(rule.everyMinutes)),
            targets: [target],
          }),
        );
      }
    }
    this.rules = rules;
  }
}
