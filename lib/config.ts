import * as z from 'zod';

/**
 * docpipe's deployment settings, from the `docpipe` object in cdk.json's context (or `-c docpipe='{...}'`), each
 * with a documented default. Checked when the app starts: a wrong setting stops `cdk synth` with its path.
 */
export const DocpipeConfig = z
  .object({
    /** Region to deploy to. Default: the CLI's (CDK_DEFAULT_REGION, from the AWS profile), else us-east-1. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).optional(),
    /** Textract AnalyzeDocument features. Default TABLES, FORMS, LAYOUT (what the page model and exports use). */
    textractFeatures: z.array(z.enum(['TABLES', 'FORMS', 'QUERIES', 'SIGNATURES', 'LAYOUT'])).min(1).default(['TABLES', 'FORMS', 'LAYOUT']),
    /** Largest single image sent to the sync API; larger ones and PDFs/TIFFs go async. Default 10 MB (Textract's sync limit). */
    syncMaxBytes: z.number().int().positive().max(10 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Largest document accepted. Default 500 MB (Textract's async limit). */
    maxDocumentBytes: z.number().int().positive().max(500 * 1024 * 1024).default(500 * 1024 * 1024),
    /** Most pages accepted. Default 3000 (Textract's async limit). */
    maxDocumentPages: z.number().int().positive().max(3000).default(3000),
    /** Concurrent Textract callers per API family: keep it under the account's TPS quota. Default 5. */
    ocrConcurrency: z.number().int().min(1).max(100).default(5),
    /** Concurrent starter invocations draining the upload queue. Default 5. */
    ingestConcurrency: z.number().int().min(2).max(1000).default(5),
    /** Pages under this prediction confidence are flagged for review. Default 0.6. */
    confidenceThreshold: z.number().min(0).max(1).default(0.6),
    /** Mean confidence under this raises the drift alarm. Default 0.7. */
    confidenceFloor: z.number().min(0).max(1).default(0.7),
    /** Webhook retry schedule, seconds after the event. Default 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
    webhookScheduleSeconds: z.array(z.number().int().min(0)).min(1).default([0, 5, 300, 1800, 7200, 18000, 36000, 36000]),
    /** Days to keep originals, OCR output and exports. Default 90. */
    retentionDays: z.number().int().min(1).default(90),
    /** Where alarms are e-mailed. Default none. */
    alarmEmail: z.email().optional(),
    /** The page model endpoint (from PageModelStack, or an existing one). Default `docpipe-page-model`. */
    pageModelEndpointName: z.string().min(1).default('docpipe-page-model'),
    /** The endpoint's ARN when it lives in another account. Default: same account and region. */
    pageModelEndpointArn: z.string().startsWith('arn:').optional(),
    /** With pageModelEndpointArn: the role in the model's account that the pipeline assumes to invoke it. */
    pageModelRoleArn: z.string().startsWith('arn:').optional(),
    /** Accounts whose pipelines may invoke the reference model (an invoker role is created for each). Default none. */
    pageModelInvokerAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]),
    /** Deploy the reference page model stack as well. Default true. */
    deployPageModel: z.boolean().default(true),
    /** One or two production variants of the reference model (two for an A/B test). */
    pageModelVariants: z.array(z.object({ name: z.string().min(1), instanceType: z.string().optional(), weight: z.number().positive().optional() })).min(1).max(2).default([{ name: 'primary' }]),
    /** Per-client API throttling (requests per second, burst) on the usage plan. Default 10 / 20. */
    apiRateLimit: z.number().positive().default(10),
    apiBurstLimit: z.number().int().positive().default(20),
    /** A WAF web ACL in front of the API (managed rule groups, per-IP rate limit). Default true. */
    apiFirewall: z.boolean().default(true),
    /** With apiFirewall: requests one source IP may make in any 5 minutes. Default 2000. */
    apiRequestsPerIpPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(2000),
  })
  .strict();

export type DocpipeConfig = z.infer<typeof DocpipeConfig>;

export function parseConfig(raw: unknown): DocpipeConfig {
  const parsed = DocpipeConfig.safeParse(typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {}));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `docpipe.${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid docpipe configuration in cdk.json context: ${problems}`);
  }
  return parsed.data;
}
