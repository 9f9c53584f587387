// The static-IP egress: NAT gateways on Elastic IPs we own, exchange callers inside, the rest outside.
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../shared/wiring/manifest.js';
import { referencedLogicalIds, resourcesOfType, type SynthesizedStack, synthesize } from './stack-fixture.js';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = synthesize({ stage: 'dev' });
});

describe('egress network', () => {
  it('runs two NAT gateways, each on an Elastic IP allocated by the stack', () => {
    const eips = resourcesOfType(synth.resources, 'AWS::EC2::EIP').map(([id]) => id);
    const nats = resourcesOfType(synth.resources, 'AWS::EC2::NatGateway');
    expect(eips).toHaveLength(2);
    expect(nats).toHaveLength(2);
    const allocated = nats.map(([, nat]) => nat.Properties?.AllocationId);
    expect(allocated).toEqual(
      expect.arrayContaining(eips.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] }))),
    );
  });

  it('spreads public and private-with-egress subnets over two AZs', () => {
    synth.template.resourceCountIs('AWS::EC2::Subnet', 4);
    synth.template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    synth.template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  });

  it('outputs each egress address and the joined list users whitelist', () => {
    const eips = resourcesOfType(synth.resources, 'AWS::EC2::EIP').map(([id]) => id);
    expect(synth.outputs.EgressIp1?.Value).toEqual({ 'Fn::GetAtt': [eips[0], 'PublicIp'] });
    expect(synth.outputs.EgressIp2?.Value).toEqual({ 'Fn::GetAtt': [eips[1], 'PublicIp'] });
    expect(synth.outputs.EgressIps?.Value).toEqual({
      'Fn::Join': [',', eips.map((id) => ({ 'Fn::GetAtt': [id, 'PublicIp'] }))],
    });
  });

  it.each(deployedFunctions().map((fn) => [fn.id, fn.staticEgress] as const))(
    '%s is in the private subnets exactly when it needs static egress (%s)',
    (id, staticEgress) => {
      const vpcConfig = synth.resources[synth.functionLogicalId(id)]?.Properties?.VpcConfig as
        | { SubnetIds: unknown; SecurityGroupIds: unknown }
        | undefined;
      if (!staticEgress) {
        expect(vpcConfig).toBeUndefined();
        return;
      }
      const privateSubnets = resourcesOfType(synth.resources, 'AWS::EC2::Subnet')
        .filter(([, subnet]) => subnet.Properties?.MapPublicIpOnLaunch === false)
        .map(([subnetId]) => subnetId);
      expect([...referencedLogicalIds(vpcConfig?.SubnetIds)].sort()).toEqual(privateSubnets.sort());
      const [groupId] = referencedLogicalIds(vpcConfig?.SecurityGroupIds);
      const group = synth.resources[groupId ?? '']?.Properties;
      expect(group?.SecurityGroupIngress).toBeUndefined();
      expect(group?.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }),
      ]);
    },
  );

  it('has at least one egress function, so the NAT gateways earn their cost', () => {
    expect(deployedFunctions().some((fn) => fn.staticEgress)).toBe(true);
  });

  it('reaches DynamoDB from inside the VPC without going through the NAT', () => {
    synth.template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });
});
