// The single DynamoDB table, built from MAIN_TABLE so the cloud and the local runner share one shape.
import { aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MAIN_TABLE } from '../../shared/wiring/resources.js';
import type { DeploymentSettings } from './settings.js';

export class DataStore extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, settings: DeploymentSettings) {
    super(scope, id);
    this.table = new dynamodb.Table(this, MAIN_TABLE.id, {
      partitionKey: { name: MAIN_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: MAIN_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      // Traffic is bursty (a signal fans out to every account at once): on-demand fits better than provisioned.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: MAIN_TABLE.ttlAttribute,
      deletionProtection: settings.stage === 'prod',
      removalPolicy: settings.removalPolicy,
    });
    for (const index of MAIN_TABLE.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
