// Each function role holds what its manifest `access` block (plus its own trigger) implies, and nothing
// more: no wildcard actions or resources on data, no queue or secret it was not given.
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, type FunctionDefinition } from '../../shared/wiring/manifest.js';
import { QUEUES, type QueueId, queueName } from '../../shared/wiring/resources.js';
import {
  actionsOn,
  allows,
  type Grant,
  grantsOfFunction,
  grantsOfRole,
  resourcesAllowing,
  roleOfFunction,
  serviceActions,
} from './iam-statements.js';
import { resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

const DYNAMODB_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const DYNAMODB_READS = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
]);
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];

let synth: SynthesizedStack;
let tableId: string;
let secretIds: Record<string, string>;
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
  tableId = resourcesOfType(synth.resources, 'AWS::DynamoDB::Table')[0]?.[0] ?? '';
  secretIds = Object.fromEntries(
    resourcesOfType(synth.resources, 'AWS::SecretsManager::Secret').map(([id, secret]) => [
      String(secret.Properties?.Name),
      id,
    ]),
  );
});

const queueId = (queue: QueueId): string => {
  const name = queueName('verzek-dev', QUEUES[queue]);
  const found = resourcesOfType(synth.resources, 'AWS::SQS::Queue').find(
    ([, q]) => q.Properties?.QueueName === name,
  );
  if (!found) throw new Error(`No queue ${name}`);
  return found[0];
};
const queueIds = (queues: readonly QueueId[]) => new Set(queues.map(queueId));
const grants = (fn: FunctionDefinition | string): Grant[] =>
  grantsOfFunction(synth, typeof fn === 'string' ? fn : fn.id);
const triggerQueues = (fn: FunctionDefinition): QueueId[] =>
  fn.trigger.kind === 'queue' ? [fn.trigger.queue] : [];

describe('least privilege, by example', () => {
  it('lets ListPositions only read the table: no writes, no queues, no secrets', () => {
    const g = grants('ListPositions');
    expect([...actionsOn(g, tableId)].every((action) => DYNAMODB_READS.has(action))).toBe(true);
    expect(actionsOn(g, tableId)).toContain('dynamodb:Query');
    expect(serviceActions(g, 'sqs').size).toBe(0);
    expect(resourcesAllowing(g, 'sqs:SendMessage').size).toBe(0);
    expect(serviceActions(g, 'secretsmanager').size).toBe(0);
  });

  it('lets UpdateSettings decrypt (a risk-raising save checks the sealed TOTP secret), never seal', () => {
    expect(serviceActions(grants('UpdateSettings'), 'kms')).toEqual(new Set(['kms:Decrypt']));
    expect(serviceActions(grants('GetSettings'), 'kms').size).toBe(0);
  });

  it('lets IngestHouseSignal send only to the signals queue', () => {
    expect(resourcesAllowing(grants('IngestHouseSignal'), 'sqs:SendMessage')).toEqual(
      new Set([queueId('signals')]),
    );
  });

  it('lets FanOutSignal send only to the execution queue', () => {
    expect(resourcesAllowing(grants('FanOutSignal'), 'sqs:SendMessage')).toEqual(
      new Set([queueId('execution')]),
    );
  });

  it('lets every function that records state write it: the pipeline and the bots update the table', () => {
    // FanOutSignal marks the signal fanned-out; ExecuteSignal stores positions and paper orders;
    // ingest stores signals; the bots and the dispatcher write heartbeats. Local runs do not enforce
    // IAM, so a missing write grant would only show in the cloud: as messages cycling to the DLQ.
    for (const id of ['IngestHouseSignal', 'FanOutSignal', 'ExecuteSignal', 'DispatchBotTicks', 'RunBot']) {
      const actions = actionsOn(grants(id), tableId);
      expect(actions, id).toContain('dynamodb:UpdateItem');
      expect(actions, id).toContain('dynamodb:PutItem');
    }
  });

  it('lets Health read queue attributes but never send, receive or delete', () => {
    const g = grants('Health');
    expect(resourcesAllowing(g, 'sqs:GetQueueAttributes')).toEqual(
      queueIds(['signals', 'execution', 'notifications', 'botTicks']),
    );
    expect(serviceActions(g, 'sqs')).toEqual(new Set(['sqs:GetQueueAttributes']));
  });

  it.each(['house-engine-token', 'house-signing-secret'])(
    'lets only IngestHouseSignal read the %s secret',
    (name) => {
      const secret = secretIds[`verzek-dev/${name}`];
      expect(secret, name).toEqual(expect.any(String));
      const readers = resourcesOfType(synth.resources, 'AWS::IAM::Role')
        .map(([roleId]) => roleId)
        .filter((roleId) =>
          resourcesAllowing(grantsOfRole(synth.resources, roleId), 'secretsmanager:GetSecretValue').has(
            secret ?? '',
          ),
        );
      expect(readers).toEqual([roleOfFunction(synth, 'IngestHouseSignal')]);
    },
  );
});

describe('no role holds wildcards on data', () => {
  it('grants no dynamodb:*, sqs:*, secretsmanager:* or bare * action to any role', () => {
    for (const [roleId] of resourcesOfType(synth.resources, 'AWS::IAM::Role')) {
      for (const grant of grantsOfRole(synth.resources, roleId)) {
        for (const action of grant.actions) {
          expect(['*', 'dynamodb:*', 'sqs:*', 'secretsmanager:*'], `${roleId} ${action}`).not.toContain(
            action,
          );
        }
      }
    }
  });

  it('scopes every dynamodb, sqs and secretsmanager permission to named resources, never "*"', () => {
    for (const [roleId] of resourcesOfType(synth.resources, 'AWS::IAM::Role')) {
      for (const grant of grantsOfRole(synth.resources, roleId)) {
        const touchesData = grant.actions.some((a) => /^(dynamodb|sqs|secretsmanager):/i.test(a));
        if (!touchesData) continue;
        expect([grant.resource].flat(), `${roleId} ${grant.actions.join(',')}`).not.toContain('*');
        expect(grant.resourceIds.size, roleId).toBeGreaterThan(0);
      }
    }
  });
});

describe.each(deployedFunctions().map((fn) => [fn.id, fn] as const))(
  '%s permissions follow its access block',
  (_id, fn) => {
    it(`table: ${fn.access.table}`, () => {
      const g = grants(fn);
      const onTable = actionsOn(g, tableId);
      if (fn.access.table === 'none') expect(serviceActions(g, 'dynamodb').size).toBe(0);
      if (fn.access.table === 'read') {
        for (const write of DYNAMODB_WRITES)
          expect(
            [...onTable].some((a) => allows(a, write)),
            write,
          ).toBe(false);
        expect(onTable).toContain('dynamodb:GetItem');
      }
      if (fn.access.table === 'readwrite') {
        expect(onTable).toContain('dynamodb:PutItem');
        expect(onTable).toContain('dynamodb:UpdateItem');
      }
    });

    it(`sends only to: ${fn.access.sendTo.join(', ') || 'nothing'}`, () => {
      expect(resourcesAllowing(grants(fn), 'sqs:SendMessage')).toEqual(queueIds(fn.access.sendTo));
    });

    it('receives and deletes only from its trigger queue', () => {
      for (const action of CONSUME_ACTIONS) {
        expect(resourcesAllowing(grants(fn), action), action).toEqual(queueIds(triggerQueues(fn)));
      }
    });

    it('reads attributes only of queues it sends to, inspects or consumes', () => {
      const allowed = queueIds([...fn.access.sendTo, ...fn.access.inspect, ...triggerQueues(fn)]);
      for (const id of resourcesAllowing(grants(fn), 'sqs:GetQueueAttributes')) expect(allowed).toContain(id);
    });

    it(`reads only its secrets: ${fn.access.secrets.join(', ') || 'none'}`, () => {
      const expected = new Set(
        fn.access.secrets.map((s) => secretIds[`verzek-dev/${s.toLowerCase().replaceAll('_', '-')}`]),
      );
      expect(resourcesAllowing(grants(fn), 'secretsmanager:GetSecretValue')).toEqual(expected);
    });

    it(`uses the KMS key only for: ${fn.access.kms?.join(', ') || 'nothing'}`, () => {
      // Decrypt opens sealed exchange keys and TOTP secrets: only the functions whose manifest entry
      // says so (the key users and the 2FA step-ups, UpdateSettings among them) may hold it.
      const expected = new Set<string>();
      if (fn.access.kms?.includes('decrypt')) expected.add('kms:Decrypt');
      if (fn.access.kms?.includes('generate-data-key')) expected.add('kms:GenerateDataKey');
      expect(serviceActions(grants(fn), 'kms')).toEqual(expected);
    });

    it('attaches only the AWS-managed Lambda execution policies it needs', () => {
      const role = synth.resources[roleOfFunction(synth, fn.id)];
      const managed = JSON.stringify(role?.Properties?.ManagedPolicyArns ?? []);
      expect(managed).toContain('service-role/AWSLambdaBasicExecutionRole');
      expect(managed.includes('AWSLambdaVPCAccessExecutionRole')).toBe(fn.staticEgress);
      expect(((role?.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []).length).toBe(
        fn.staticEgress ? 2 : 1,
      );
    });
  },
);
