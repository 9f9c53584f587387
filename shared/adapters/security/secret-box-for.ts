// Chooses the envelope encryption of a stage from its environment: KMS wherever KMS_KEY_ID is set
// (the cloud; KMS_ENDPOINT points tests at a fake), the local master key in the local run, and a
// start-up error naming both variables when neither is set.
import { KMSClient } from '@aws-sdk/client-kms';
import { ConfigError, type Env } from '../../config/env.js';
import type { SecretBox } from '../../ports/security.js';
import { KmsSecretBox } from './kms-secret-box.js';
import { LocalSecretBox } from './local-secret-box.js';

export type SecretBoxEnv = Pick<
  Env,
  'STAGE' | 'AWS_REGION' | 'KMS_KEY_ID' | 'KMS_ENDPOINT' | 'LOCAL_MASTER_KEY'
>;

export function kmsClientFor(env: Pick<Env, 'AWS_REGION' | 'KMS_ENDPOINT'>): KMSClient {
  return new KMSClient({
    region: env.AWS_REGION,
    ...(env.KMS_ENDPOINT
      ? { endpoint: env.KMS_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

export function secretBoxFor(env: SecretBoxEnv): SecretBox {
  if (env.KMS_KEY_ID) return new KmsSecretBox(kmsClientFor(env), env.KMS_KEY_ID);
  if (env.LOCAL_MASTER_KEY) {
    // A key in an environment variable is fine on a laptop, never for traders' real keys.
    if (env.STAGE !== 'local') {
      throw new ConfigError(
        `LOCAL_MASTER_KEY is for the local run only; set KMS_KEY_ID on stage ${env.STAGE}`,
      );
    }
    return new LocalSecretBox(env.LOCAL_MASTER_KEY);
  }
  throw new ConfigError(
    'Invalid environment:\n  - KMS_KEY_ID: missing (set KMS_KEY_ID, or LOCAL_MASTER_KEY in the local run)',
  );
}
