import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  /** The API stage the web ACL guards. */
  readonly stage: apigateway.Stage;
  /** Encrypts the firewall's log group. */
  readonly key: kms.IKey;
  /** Requests one source IP may make in any 5 minutes before it is blocked. Default 2000 (WAF's minimum is 10). */
  readonly requestsPerIpPer5Minutes?: number;
  /** Days to keep the firewall's logs. Default 3 months. */
  readonly logRetention?: logs.RetentionDays;
}

/** The managed rule groups every request passes, in order: AWS's baseline, known exploits, and bad reputations. */
const MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/**
 * A WAF web ACL in front of the client API stage: AWS's managed rule groups for known-bad sources and inputs, and a
 * per-IP rate limit in front of the usage plan's per-key throttling (which only counts requests with a valid key).
 * Blocked and sampled requests are logged to an encrypted log group, with the API key header redacted.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclName: string;
  readonly logGroup: logs.LogGroup;
  /** The metric name of the rate rule, for dashboards. */
  static readonly RATE_RULE = 'PerIpRateLimit';

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

    const managed = MANAGED_RULE_GROUPS.map(
      (name, priority): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      }),
    );
    const rate: wafv2.CfnWebACL.RuleProperty = {
      name: ApiFirewall.RATE_RULE,
      priority: managed.length,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: props.requestsPerIpPer5Minutes ?? 2000, aggregateKeyType: 'IP' } },
      visibilityConfig: visibility(ApiFirewall.RATE_RULE),
    };
    this.webAclName = `docpipe-client-api-${Stack.of(this).stackName}`;
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: 'docpipe client API: managed rule groups and a per-IP rate limit',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [...managed, rate],
      visibilityConfig: visibility('docpipe-client-api'),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });

    // WAF only logs to a log group whose name starts with aws-waf-logs-, given by its ARN without the ":*" suffix.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-docpipe-${Stack.of(this).stackName}`,
      encryptionKey: props.key,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logGroupArn = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: [{ singleHeader: { Name: 'x-api-key' } }],
    });
  }

  /** Requests the web ACL blocked, for all rules (`ALL`) or one rule by name. */
  metricBlockedRequests(rule = 'ALL', props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: this.webAclName, Region: Stack.of(this).region, Rule: rule },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }
}
