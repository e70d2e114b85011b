/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Settings come from the `docpipe` context object (lib/config.ts);
 * cdk-nag's AWS Solutions checks run on every synth, and a finding that is not acknowledged with a reason fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConfig } from '../lib/config';
import { DocpipeStack } from '../lib/docpipe-stack';
import { acknowledgeFindings } from '../lib/nag-acknowledgements';
import { PageModelStack } from '../lib/page-model';

// CloudFormation's own template checks (circular dependencies and the like) fail the synth instead of warning.
// EventBridge may send to the uploads queue (and use its key) for rules of this account only: without the flag CDK
// lets the events service send on behalf of any account.
export const APP_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/aws-events:eventsTargetQueueSameAccount': true };

export function buildApp(app = new App({ context: APP_CONTEXT })): App {
  const config = parseConfig(app.node.tryGetContext('docpipe'));
  // A region is needed at synth time (tables with a customer-managed key cannot be rendered region-agnostic):
  // the setting, else the CLI's profile, else us-east-1.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
  const pipeline = new DocpipeStack(app, 'Docpipe', { env, config, description: 'docpipe: documents in, structured JSON out by signed webhook' });
  if (config.deployPageModel) {
    const model = new PageModelStack(app, 'DocpipePageModel', { env, endpointName: config.pageModelEndpointName, variants: config.pageModelVariants, invokerAccounts: config.pageModelInvokerAccounts, description: 'docpipe reference page model on SageMaker' });
    pipeline.addStackDependency(model);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeFindings(app);
  return app;
}

if (require.main === module) buildApp().synth();
