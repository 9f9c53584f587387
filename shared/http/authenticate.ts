// Builds the user authenticator every user route shares, from the function's parsed env.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { JSONWebKeySet } from 'jose';
import type { Env } from '../config/env.js';
import { bearerToken, createAccessTokenVerifier } from './auth.js';
import { Unauthorized } from './errors.js';

export function userAuthenticator(env: Pick<Env, 'JWT_PUBLIC_JWKS' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>) {
  const verifier = createAccessTokenVerifier({
    jwks: env.JWT_PUBLIC_JWKS as JSONWebKeySet,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  });
  /** The authenticated user id; the only source of "whose data" for every user route. */
  return async (event: APIGatewayProxyEventV2): Promise<string> => {
    const token = bearerToken(event.headers);
    if (!token) throw new Unauthorized('AUTH.MISSING_TOKEN', 'An access token is required');
    return verifier.verify(token);
  };
}
