// Wraps a route's use case in the middleware stack every HTTP function shares: Lambda context in
// the logs, then errors → problem responses. Handlers stay thin: parse, call one service, answer.
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { jsonResponse, problemResponses } from './middleware.js';

export interface RouteAnswer {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function httpHandler(
  logger: Logger,
  route: (event: APIGatewayProxyEventV2, context: Context) => Promise<RouteAnswer>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemResponses(logger))
    .handler(async (event, context) => {
      const answer = await route(event, context);
      return jsonResponse(answer.status ?? 200, answer.body, answer.headers);
    });
}
