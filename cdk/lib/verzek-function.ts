// One Lambda from one manifest entry, with the defaults every function shares (ARM64, Node 22, X-Ray,
// a log group with retention, ESM bundle built by the local esbuild) fixed in a single place.
import path from 'node:path';
import { Duration, aws_ec2 as ec2, aws_lambda as lambda, aws_logs as logs, Tags } from 'aws-cdk-lib';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '../../shared/wiring/manifest.js';
import { BUNDLE_EXTERNALS, ESM_REQUIRE_SHIM } from './bundle-options.js';
import type { DeploymentSettings } from './settings.js';

export interface VerzekFunctionProps {
  readonly definition: FunctionDefinition;
  readonly settings: DeploymentSettings;
  /** Directory holding package-lock.json; `definition.entry` is relative to it. */
  readonly projectRoot: string;
  /** Plain environment; secrets arrive as *_SECRET_ARN entries only. */
  readonly environment: Readonly<Record<string, string>>;
  /** Set for staticEgress functions: run in the private subnets behind the NAT's Elastic IPs. */
  readonly egress?: { readonly vpc: ec2.IVpc; readonly securityGroup: ec2.ISecurityGroup };
}

export class VerzekFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: VerzekFunctionProps) {
    super(scope, id);
    const { definition, settings, projectRoot, egress } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: settings.removalPolicy,
    });

    this.fn = new NodejsFunction(this, 'Function', {
      description: definition.description.slice(0, 256),
      entry: path.join(projectRoot, definition.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      ...(egress
        ? {
            vpc: egress.vpc,
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            securityGroups: [egress.securityGroup],
          }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        sourceMap: false,
        target: 'node22',
        mainFields: ['module', 'main'],
        // We ship the AWS SDK version we pin and test, not whatever the runtime happens to carry.
        bundleAwsSDK: true,
        externalModules: [...BUNDLE_EXTERNALS],
        forceDockerBundling: false,
      },
    });
    // Names the function for tests, cost reports and the console without parsing generated names.
    Tags.of(this.fn).add('verzek:function', definition.id);
  }
}
