// The stage's KMS key for envelope encryption of traders' exchange API keys: each key is sealed
// with a fresh data key that this KMS key encrypts. Rotated yearly by KMS; retained in prod, since
// losing it would make every stored exchange key unreadable.
import { aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './settings.js';

export class ExchangeKeyEncryption extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, settings: DeploymentSettings) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${settings.namePrefix}-exchange-keys`,
      description: `Verzek ${settings.stage}: envelope encryption of exchange API keys`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });
  }
}
