// Enforces a function's declared access on its AWS clients, the way IAM does in the cloud. Only the
// local run sets a policy (per invocation, through AsyncLocalStorage); in Lambda none is set and the
// guard does nothing, since IAM already refuses. Without it, a function whose manifest entry lacks
// a grant works locally and fails only once deployed.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AccessPolicy {
  readonly functionId: string;
  readonly table: 'none' | 'read' | 'readwrite';
  /** Queue URLs the function may send to. */
  readonly sendTo: ReadonlySet<string>;
  /** Queue URLs whose attributes it may read. */
  readonly inspect: ReadonlySet<string>;
}

export class AccessDenied extends Error {
  override readonly name = 'AccessDeniedException';
}

const currentPolicy = new AsyncLocalStorage<AccessPolicy>();

export function runWithAccessPolicy<T>(policy: AccessPolicy, work: () => T): T {
  return currentPolicy.run(policy, work);
}

const TABLE_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

export function checkDynamoAccess(commandName: string): void {
  const policy = currentPolicy.getStore();
  if (!policy) return;
  const allowed = policy.table === 'readwrite' || (policy.table === 'read' && !TABLE_WRITES.has(commandName));
  if (!allowed) {
    throw new AccessDenied(
      `${policy.functionId} may not call DynamoDB ${commandName}: its manifest grants table access "${policy.table}"`,
    );
  }
}

export function checkSqsAccess(commandName: string, queueUrl: string | undefined): void {
  const policy = currentPolicy.getStore();
  if (!policy) return;
  const sends = commandName === 'SendMessageCommand' || commandName === 'SendMessageBatchCommand';
  const inspects = commandName === 'GetQueueAttributesCommand';
  const allowed =
    queueUrl !== undefined &&
    ((sends && policy.sendTo.has(queueUrl)) || (inspects && policy.inspect.has(queueUrl)));
  if (!allowed) {
    throw new AccessDenied(
      `${policy.functionId} may not call SQS ${commandName} on ${queueUrl ?? 'no queue'}: not in its manifest access`,
    );
  }
}
