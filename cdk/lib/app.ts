// Builds the CDK app exactly as `cdk synth` does, so tests assert on the same wiring that deploys.
import { App } from 'aws-cdk-lib';
import { readDeploymentSettings } from './settings.js';
import { VerzekStack } from './verzek-stack.js';

export interface BuildAppOptions {
  /** Overrides the `stage` context value. */
  readonly stage?: string;
  /** false skips esbuild (tests): the template is complete, only the code assets are placeholders. */
  readonly bundling?: boolean;
  /** Extra context, e.g. cdk.json's `context` block when the CLI is not the one reading it. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Directory holding package-lock.json and the entry files (defaults to the repository root). */
  readonly projectRoot?: string;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: VerzekStack } {
  const context: Record<string, unknown> = { ...options.context };
  if (options.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });

  const settings = readDeploymentSettings(app.node, options.stage);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new VerzekStack(app, `Verzek-${settings.stage}`, {
    settings,
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
    // Environment-agnostic when the CLI has no credentials, so synth works offline.
    env: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
    terminationProtection: settings.stage === 'prod',
    description: `Verzek AutoTrader (${settings.stage}): API, signal pipeline, bots, static-IP egress`,
  });
  return { app, stack };
}
