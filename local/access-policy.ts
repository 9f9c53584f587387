// Each function's access policy for the local run, from its manifest entry: the same grants the
// CDK app turns into IAM (cdk/lib/functions.ts), so a missing grant fails here as it would deployed.
import type { AccessPolicy } from '../shared/adapters/access-guard.js';
import type { FunctionDefinition } from '../shared/wiring/manifest.js';
import { QUEUES, type QueueId } from '../shared/wiring/resources.js';

export function accessPolicyFor(
  definition: FunctionDefinition,
  env: Readonly<Record<string, string | undefined>>,
): AccessPolicy {
  const urls = (queues: readonly QueueId[]) =>
    new Set(queues.map((q) => env[QUEUES[q].envVar]).filter((url): url is string => url !== undefined));
  return {
    functionId: definition.id,
    table: definition.access.table,
    sendTo: urls(definition.access.sendTo),
    inspect: urls(definition.access.inspect),
  };
}
