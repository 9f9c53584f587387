// The whole platform for one stage, composed from small constructs that each read the wiring
// manifest; this file only connects them and publishes the outputs operators and users need.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HttpApi } from './api.js';
import { Dashboard } from './dashboard.js';
import { DataStore } from './data.js';
import { ExchangeKeyEncryption } from './encryption.js';
import { Functions } from './functions.js';
import { Alarms } from './monitoring.js';
import { EgressNetwork } from './network.js';
import { Queues } from './queues.js';
import { Schedules } from './schedules.js';
import { Secrets } from './secrets.js';
import type { DeploymentSettings } from './settings.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface VerzekStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** Holds package-lock.json and the function entries; defaults to the repository root. */
  readonly projectRoot?: string;
}

export class VerzekStack extends Stack {
  readonly settings: DeploymentSettings;
  readonly data: DataStore;
  readonly queues: Queues;
  readonly network: EgressNetwork;
  readonly functions: Functions;
  readonly api: HttpApi;
  readonly schedules: Schedules;
  readonly alarms: Alarms;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: VerzekStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    Tags.of(this).add('project', 'verzek');
    Tags.of(this).add('stage', settings.stage);

    this.data = new DataStore(this, 'Data', settings);
    this.queues = new Queues(this, 'Queues', settings);
    this.network = new EgressNetwork(this, 'Network');
    this.functions = new Functions(this, 'Functions', {
      settings,
      projectRoot: props.projectRoot ?? REPO_ROOT,
      data: this.data,
      queues: this.queues,
      network: this.network,
      secrets: new Secrets(this, 'Secrets', settings),
      keys: { exchangeKeys: new ExchangeKeyEncryption(this, 'ExchangeKeys', settings).key },
    });
    this.api = new HttpApi(this, 'Http', settings, this.functions.all);
    this.schedules = new Schedules(this, 'Schedules', this.functions.all);
    this.alarms = new Alarms(this, 'Alarms', this.queues.all, this.functions.all);
    this.dashboard = new Dashboard(this, 'Dashboard', settings, this.functions.byId, this.queues.byId);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe an email or chat endpoint here to receive alarms',
    });
    this.network.addOutputs(this);
    for (const { definition, queue } of this.queues.all) {
      new CfnOutput(this, `${pascal(definition.id)}QueueUrl`, { value: queue.queueUrl });
    }
  }
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
