// The static-IP egress: exchange-calling functions run in private subnets whose NAT gateways (one per
// AZ, for failover) use Elastic IPs we allocate ourselves, so users can whitelist known addresses.
import { CfnOutput, aws_ec2 as ec2, Fn, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** One NAT gateway, and so one egress address, per AZ. More AZs = more addresses to whitelist. */
export const EGRESS_AZ_COUNT = 2;

export class EgressNetwork extends Construct {
  /**
   * Typed as IVpc because ec2.Vpc declares `vpnGatewayId` as `string | undefined`, which the IVpc
   * interface rejects under our `exactOptionalPropertyTypes`; the object is the same.
   */
  readonly vpc: ec2.IVpc;
  /** Attached to every egress function: all outbound allowed, nothing inbound. */
  readonly functionSecurityGroup: ec2.SecurityGroup;
  readonly elasticIps: readonly ec2.CfnEIP[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.elasticIps = Array.from({ length: EGRESS_AZ_COUNT }, (_, i) => {
      const eip = new ec2.CfnEIP(this, `EgressIp${i + 1}`, { domain: 'vpc' });
      Tags.of(eip).add('Name', `verzek-egress-${i + 1}`);
      return eip;
    });

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: EGRESS_AZ_COUNT,
      natGateways: EGRESS_AZ_COUNT,
      natGatewayProvider: ec2.NatProvider.gateway({
        eipAllocationIds: this.elasticIps.map((eip) => eip.attrAllocationId),
      }),
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      // Nothing uses the default security group; closing it keeps it from becoming an accidental door.
      restrictDefaultSecurityGroup: true,
    });
    // DynamoDB traffic from egress functions skips the NAT (free gateway endpoint, no NAT data charge).
    vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });

    this.vpc = vpc as ec2.IVpc;
    this.functionSecurityGroup = new ec2.SecurityGroup(this, 'FunctionEgress', {
      vpc: this.vpc,
      description: 'Egress-only: exchange-calling Lambdas, no inbound traffic',
      allowAllOutbound: true,
    });
  }

  /** EgressIp1..N and the joined EgressIps, the list users whitelist on their exchange API keys. */
  addOutputs(scope: Construct): void {
    this.elasticIps.forEach((eip, i) => {
      new CfnOutput(scope, `EgressIp${i + 1}`, {
        value: eip.attrPublicIp,
        description: `Static egress address ${i + 1} (NAT gateway in AZ ${i + 1})`,
      });
    });
    new CfnOutput(scope, 'EgressIps', {
      value: Fn.join(
        ',',
        this.elasticIps.map((eip) => eip.attrPublicIp),
      ),
      description: 'Every address exchange API keys must whitelist, comma-separated',
    });
  }
}
