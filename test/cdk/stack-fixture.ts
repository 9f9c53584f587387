// Synthesizes the stack the way `cdk synth` does (cdk.json context, cdk/lib/app.ts) but without
// esbuild, so CDK tests take seconds and do not depend on the function code compiling.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../cdk/lib/app.js';
import { REPO_ROOT, type VerzekStack } from '../../cdk/lib/verzek-stack.js';
import { deployedFunctions } from '../../shared/wiring/manifest.js';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface SynthesizedStack {
  readonly stack: VerzekStack;
  readonly template: Template;
  readonly resources: Readonly<Record<string, CfnResource>>;
  readonly outputs: Readonly<Record<string, { Value: unknown }>>;
  /** The CloudFormation logical id of a construct (or of its default child). */
  logicalId(construct: IConstruct): string;
  /** The logical id of the Lambda built for a manifest function id. */
  functionLogicalId(functionId: string): string;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export function synthesize(
  options: { stage?: string; context?: Record<string, unknown> } = {},
): SynthesizedStack {
  const { stack } = buildApp({
    ...(options.stage ? { stage: options.stage } : {}),
    bundling: false,
    context: { ...cdkJsonContext(), ...options.context },
    projectRoot: projectRootWithEntries(),
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as {
    Resources: Record<string, CfnResource>;
    Outputs?: Record<string, { Value: unknown }>;
  };
  const logicalId = (construct: IConstruct): string => {
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement))
      throw new Error(`${construct.node.path} has no CloudFormation element`);
    return stack.getLogicalId(element);
  };
  return {
    stack,
    template,
    resources: json.Resources,
    outputs: json.Outputs ?? {},
    logicalId,
    functionLogicalId: (functionId) => {
      const deployed = stack.functions.byId.get(functionId);
      if (!deployed) throw new Error(`No deployed function ${functionId}`);
      return logicalId(deployed.fn);
    },
  };
}

/**
 * NodejsFunction insists its entry file exists even when bundling is skipped. While some entries are
 * still being written, point the stack at a throwaway project root with empty placeholders instead
 * of touching functions/; once every entry exists this is simply the repository root.
 */
let placeholderRoot: string | undefined;

function projectRootWithEntries(): string {
  const entries = deployedFunctions().map((fn) => fn.entry);
  if (entries.every((entry) => existsSync(path.join(REPO_ROOT, entry)))) return REPO_ROOT;
  if (placeholderRoot) return placeholderRoot;
  const root = mkdtempSync(path.join(tmpdir(), 'verzek-cdk-'));
  writeFileSync(path.join(root, 'package-lock.json'), '{}\n');
  for (const entry of entries) {
    mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    writeFileSync(path.join(root, entry), 'export const handler = async () => undefined;\n');
  }
  placeholderRoot = root;
  return root;
}

/** Resources of one CloudFormation type, keyed by logical id. */
export function resourcesOfType(
  resources: Readonly<Record<string, CfnResource>>,
  type: string,
): [string, CfnResource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Every logical id a value refers to through Ref or Fn::GetAtt, however deeply nested. */
export function referencedLogicalIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Ref' && typeof child === 'string') found.add(child);
      else if (key === 'Fn::GetAtt' && Array.isArray(child) && typeof child[0] === 'string')
        found.add(child[0]);
      else visit(child);
    }
  };
  visit(value);
  return found;
}
