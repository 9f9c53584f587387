// One Secrets Manager secret per secret name a deployed function reads. Functions get only the
// secret's ARN in their environment and fetch the value at cold start; the value never enters the template.
import { aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { SecretName } from '../../shared/wiring/manifest.js';
import type { DeploymentSettings } from './settings.js';

/** How each secret's first value is made; operators may replace it (docs/deploy.md). */
const INITIAL_VALUE: Readonly<Record<SecretName, secretsmanager.SecretStringGenerator | undefined>> = {
  // A shared bearer token for the house signal engine; 48 alphanumerics survive any header or shell.
  HOUSE_ENGINE_TOKEN: { passwordLength: 48, excludePunctuation: true },
  // Signs the house engine's request bodies (X-Verzek-Signature); never sent, so a leaked bearer
  // token alone cannot forge a signal. Operators give the engine both values.
  HOUSE_SIGNING_SECRET: { passwordLength: 64, excludePunctuation: true },
  // The ES256 signing key (a private JWK with `kid`) whose public half is in cdk.json; an operator
  // sets it (docs/deploy.md): Secrets Manager cannot generate a key pair.
  JWT_PRIVATE_KEY: undefined,
  ALTCHA_HMAC_KEY: { passwordLength: 48, excludePunctuation: true },
  // Resend's API key for the stage's sending domain; an operator sets it (docs/deploy.md).
  RESEND_API_KEY: undefined,
};

export class Secrets extends Construct {
  private readonly secrets = new Map<SecretName, secretsmanager.Secret>();

  constructor(
    scope: Construct,
    id: string,
    private readonly settings: DeploymentSettings,
  ) {
    super(scope, id);
  }

  /** The stack's one secret of that name, created on first use. */
  get(name: SecretName): secretsmanager.Secret {
    let secret = this.secrets.get(name);
    if (!secret) {
      const generator = INITIAL_VALUE[name];
      secret = new secretsmanager.Secret(this, name, {
        secretName: `${this.settings.namePrefix}/${name.toLowerCase().replaceAll('_', '-')}`,
        description: `Verzek ${this.settings.stage}: ${name}`,
        ...(generator ? { generateSecretString: generator } : {}),
        removalPolicy: this.settings.removalPolicy,
      });
      this.secrets.set(name, secret);
    }
    return secret;
  }
}
