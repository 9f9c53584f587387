// middy middleware for HTTP routes: one concern each. `problemResponses` turns any error into
// `{ code, message }` with the right status; nothing unexpected ever leaks its text to the caller.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from './errors.js';

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function problemResponses(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    name: 'problemResponses',
    onError: (request) => {
      const error = request.error;
      if (error instanceof AppError) {
        if (error.status >= 500) logger.error('request failed', { code: error.code, error });
        else logger.info('request refused', { code: error.code, status: error.status });
        request.response = jsonResponse(
          error.status,
          {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
          },
          error.headers,
        );
        return;
      }
      logger.error('unhandled error', { error: error ?? 'unknown' });
      request.response = jsonResponse(500, { code: 'INTERNAL', message: 'Internal server error' });
    },
  };
}
