// Reads a synthesized template's IAM the way an auditor would: per function role, which actions it
// is allowed on which resources (by logical id), so least-privilege tests state intent, not JSON.
import {
  type CfnResource,
  referencedLogicalIds,
  resourcesOfType,
  type SynthesizedStack,
} from './stack-fixture.js';

export interface Grant {
  readonly actions: readonly string[];
  /** Logical ids the statement's Resource refers to. */
  readonly resourceIds: ReadonlySet<string>;
  /** The raw Resource value, to spot literal wildcards. */
  readonly resource: unknown;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Allow statements from every inline or attached policy of the role. */
export function grantsOfRole(resources: Readonly<Record<string, CfnResource>>, roleId: string): Grant[] {
  const documents: unknown[] = [];
  const role = resources[roleId];
  for (const inline of (role?.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
    documents.push(inline.PolicyDocument);
  }
  for (const [, policy] of resourcesOfType(resources, 'AWS::IAM::Policy')) {
    if (referencedLogicalIds(policy.Properties?.Roles).has(roleId))
      documents.push(policy.Properties?.PolicyDocument);
  }
  return documents.flatMap((doc) =>
    ((doc as { Statement: Statement[] }).Statement ?? [])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        actions: [statement.Action].flat(),
        resourceIds: referencedLogicalIds(statement.Resource),
        resource: statement.Resource,
      })),
  );
}

export function roleOfFunction(synth: SynthesizedStack, functionId: string): string {
  const lambda = synth.resources[synth.functionLogicalId(functionId)];
  const [roleId] = referencedLogicalIds(lambda?.Properties?.Role);
  if (!roleId) throw new Error(`${functionId} has no role`);
  return roleId;
}

export function grantsOfFunction(synth: SynthesizedStack, functionId: string): Grant[] {
  return grantsOfRole(synth.resources, roleOfFunction(synth, functionId));
}

/** Does an IAM action pattern (which may hold `*`) allow the action? */
export function allows(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return regex.test(action);
}

/** Logical ids on which the grants allow the action. */
export function resourcesAllowing(grants: readonly Grant[], action: string): Set<string> {
  const ids = new Set<string>();
  for (const grant of grants) {
    if (grant.actions.some((pattern) => allows(pattern, action))) {
      for (const id of grant.resourceIds) ids.add(id);
    }
  }
  return ids;
}

/** Actions the grants allow on one resource (directly or through a derived ARN such as its indexes). */
export function actionsOn(grants: readonly Grant[], logicalId: string): Set<string> {
  return new Set(grants.filter((g) => g.resourceIds.has(logicalId)).flatMap((g) => g.actions));
}

/** Actions of one service (`dynamodb`, `sqs`, ...) the grants allow on anything. */
export function serviceActions(grants: readonly Grant[], service: string): Set<string> {
  return new Set(grants.flatMap((g) => g.actions).filter((a) => a.toLowerCase().startsWith(`${service}:`)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
