// `npm run keys:jwt`: a fresh ES256 signing key pair for a cloud stage. Prints the private JWK (for
// the stage's JWT_PRIVATE_KEY secret) and its public JWK (for the `verzek:jwtPublicJwks` context),
// each with the same `kid`. To rotate: add the new public key next to the old one in the context,
// deploy, put the new private key in the secret, and drop the old public key once the last tokens
// it signed have expired (15 minutes for access tokens).
import { generateLocalSecrets } from '../secrets.js';

const { jwtPrivateKey, jwtPublicJwks } = await generateLocalSecrets();
const publicKey = (JSON.parse(jwtPublicJwks) as { keys: unknown[] }).keys[0];
process.stdout.write(
  [
    '# JWT_PRIVATE_KEY secret value (keep it secret):',
    jwtPrivateKey,
    '',
    '# Add this public key to "verzek:jwtPublicJwks".keys in cdk.json:',
    JSON.stringify(publicKey, null, 2),
    '',
  ].join('\n'),
);
