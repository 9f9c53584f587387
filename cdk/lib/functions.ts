// Every deployed function from the wiring manifest, with least privilege derived from its `access`
// block alone: the environment a function gets and the permissions it holds can never disagree.
import { Duration, Fn, type aws_kms as kms } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { EnvKey } from '../../shared/config/env.js';
import { environmentKeysFor, secretEnvKey } from '../../shared/wiring/function-environment.js';
import { deployedFunctions, type FunctionDefinition } from '../../shared/wiring/manifest.js';
import { MAIN_TABLE, QUEUES, type QueueId } from '../../shared/wiring/resources.js';
import type { DataStore } from './data.js';
import type { EgressNetwork } from './network.js';
import type { Queues } from './queues.js';
import type { Secrets } from './secrets.js';
import type { DeploymentSettings } from './settings.js';
import { VerzekFunction } from './verzek-function.js';

/**
 * Keys the cloud leaves unset on purpose: there is no replay data in the cloud, and exchange calls go
 * to the exchanges' own hosts (EXCHANGE_BASE_URLS points them at fakes in tests).
 */
export const LOCAL_ONLY_KEYS: ReadonlySet<EnvKey> = new Set([
  'PAPER_MARKET_DIR',
  'PAPER_REPLAY_SPEED',
  'EXCHANGE_BASE_URLS',
  'RESEND_BASE_URL',
  'LOCAL_OUTBOX_DIR',
  'KMS_ENDPOINT',
  'LOCAL_MASTER_KEY',
]);

export interface FunctionsProps {
  readonly settings: DeploymentSettings;
  readonly projectRoot: string;
  readonly data: DataStore;
  readonly queues: Queues;
  readonly network: EgressNetwork;
  readonly secrets: Secrets;
  readonly keys: { readonly exchangeKeys: kms.IKey };
}

export interface DeployedFunction {
  readonly definition: FunctionDefinition;
  readonly fn: NodejsFunction;
}

export class Functions extends Construct {
  readonly byId: ReadonlyMap<string, DeployedFunction>;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: FunctionsProps,
  ) {
    super(scope, id);
    const built = new Map<string, DeployedFunction>();
    for (const definition of deployedFunctions()) {
      built.set(definition.id, { definition, fn: this.createFunction(definition) });
    }
    this.byId = built;
  }

  get all(): readonly DeployedFunction[] {
    return [...this.byId.values()];
  }

  private createFunction(definition: FunctionDefinition): NodejsFunction {
    const { settings, projectRoot, data, queues, network, secrets } = this.props;
    const environment: Record<string, string> = {
      STAGE: settings.stage,
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'verzek',
      ...definition.environment,
    };
    for (const key of environmentKeysFor(definition)) {
      if (LOCAL_ONLY_KEYS.has(key)) continue;
      environment[key] = this.plainValue(key);
    }
    for (const name of definition.access.secrets) {
      environment[secretEnvKey(name, 'arn')] = secrets.get(name).secretArn;
    }

    const { fn } = new VerzekFunction(this, definition.id, {
      definition,
      settings,
      projectRoot,
      environment,
      ...(definition.staticEgress
        ? { egress: { vpc: network.vpc, securityGroup: network.functionSecurityGroup } }
        : {}),
    });

    const { access, trigger } = definition;
    if (access.table === 'read') data.table.grantReadData(fn);
    if (access.table === 'readwrite') data.table.grantReadWriteData(fn);
    for (const queueId of access.sendTo) queues.byId[queueId].queue.grantSendMessages(fn);
    // Health reports depth only: GetQueueAttributes, nothing that reads or moves messages.
    for (const queueId of access.inspect) queues.byId[queueId].queue.grant(fn, 'sqs:GetQueueAttributes');
    for (const name of access.secrets) secrets.get(name).grantRead(fn);
    // Envelope encryption: a function seals with fresh data keys or opens them, never both unless declared.
    if (access.kms?.includes('generate-data-key'))
      this.props.keys.exchangeKeys.grant(fn, 'kms:GenerateDataKey');
    if (access.kms?.includes('decrypt')) this.props.keys.exchangeKeys.grantDecrypt(fn);

    if (trigger.kind === 'queue') {
      const { definition: queueDef, queue } = queues.byId[trigger.queue];
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: trigger.batchSize,
          // Lambda rejects a batching window on FIFO queues; order there matters more than batch fill.
          ...(!queueDef.fifo && trigger.maxBatchingWindowSeconds !== undefined
            ? { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }
            : {}),
          reportBatchItemFailures: true,
        }),
      );
    }
    return fn;
  }

  /** The value of a plain environment key; a key this stack cannot supply fails synth loudly. */
  private plainValue(key: EnvKey): string {
    const { settings, data, queues } = this.props;
    if (key === MAIN_TABLE.envVar) return data.table.tableName;
    if (key === 'JWT_ISSUER') return settings.jwtIssuer;
    if (key === 'JWT_AUDIENCE') return settings.jwtAudience;
    if (key === 'JWT_PUBLIC_JWKS') return settings.jwtPublicJwks;
    if (key === 'MAIL_FROM') return settings.mailFrom;
    if (key === 'APP_BASE_URL') return settings.appBaseUrl;
    if (key === 'BOT_UNIVERSE') return settings.botUniverse;
    if (key === 'KMS_KEY_ID') return this.props.keys.exchangeKeys.keyArn;
    if (key === 'EGRESS_IPS')
      return Fn.join(
        ',',
        this.props.network.elasticIps.map((eip) => eip.attrPublicIp),
      );
    const queueId = (Object.keys(QUEUES) as QueueId[]).find((id) => QUEUES[id].envVar === key);
    if (queueId) return queues.byId[queueId].queue.queueUrl;
    throw new Error(`The CDK app does not know how to set environment variable ${key}`);
  }
}
