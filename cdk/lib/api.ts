// The public HTTP API: one route per http-triggered function. Auth happens in the handlers' middleware
// (JWT against the stage's JWKS, or the house token), so the gateway only routes, throttles and logs.
import { aws_apigatewayv2 as apigwv2, aws_logs as logs } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { HttpMethod } from '../../shared/wiring/manifest.js';
import type { DeployedFunction } from './functions.js';
import type { DeploymentSettings } from './settings.js';

/** Stage-wide limits: a runaway client meets 429s before it meets the Lambda concurrency limit. */
const THROTTLE = { burstLimit: 200, rateLimit: 100 } as const;

const METHODS: Readonly<Record<HttpMethod, apigwv2.HttpMethod>> = {
  GET: apigwv2.HttpMethod.GET,
  POST: apigwv2.HttpMethod.POST,
  PUT: apigwv2.HttpMethod.PUT,
  PATCH: apigwv2.HttpMethod.PATCH,
  DELETE: apigwv2.HttpMethod.DELETE,
};

export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(
    scope: Construct,
    id: string,
    settings: DeploymentSettings,
    functions: readonly DeployedFunction[],
  ) {
    super(scope, id);
    // CORS stays off until a browser front end exists; the API is called server-to-server today.
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: settings.namePrefix,
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: settings.removalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            ip: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    for (const { definition, fn } of functions) {
      const { trigger } = definition;
      if (trigger.kind !== 'http') continue;
      this.api.addRoutes({
        path: trigger.path,
        methods: [METHODS[trigger.method]],
        integration: new HttpLambdaIntegration(`${definition.id}Integration`, fn),
      });
    }
  }

  get url(): string {
    // The $default stage is served at the API's root, without a stage segment or trailing slash.
    return this.api.apiEndpoint;
  }
}
