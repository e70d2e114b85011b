/**
 * What a local run would have cost on AWS, from what it did: state transitions, Lambda requests and GB-seconds,
 * Textract pages, S3 and DynamoDB requests, events. A rough, documented estimate (list prices, us-east-1, no free
 * tier), not a bill: check https://aws.amazon.com/pricing before relying on it.
 */
import type { RecordedRun } from './local-executions';

/** List prices in USD, us-east-1, as published by AWS in 2025 (first pricing tier). */
export const PRICES = {
  /** Step Functions Standard: per state transition ($0.025 per 1,000). */
  stepFunctionsTransition: 0.025 / 1000,
  /** Lambda (x86): per request and per GB-second. */
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000166667,
  /** Textract AnalyzeDocument per page: Tables $0.015 + Forms $0.05 + Layout $0.004 (the features docpipe asks for). */
  textractPage: 0.015 + 0.05 + 0.004,
  /** S3 Standard: PUT and GET requests. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** DynamoDB on demand: write and read request units. */
  dynamoWrite: 0.625 / 1_000_000,
  dynamoRead: 0.125 / 1_000_000,
  /** EventBridge custom events, and SQS requests (send, receive, delete per object event). */
  eventBridgeEvent: 1 / 1_000_000,
  sqsRequest: 0.4 / 1_000_000,
  /** SageMaker Serverless Inference, 2 GB memory: per second of inference. */
  sageMakerServerlessSecond: 0.00004,
} as const;

/** The assumptions that turn a local run into AWS usage (the infrastructure stacks' configuration). */
export const ASSUMPTIONS = {
  lambdaMemoryGb: 0.5,
  /** The local OCR time is Tesseract's, which does not run in Lambda: in AWS the OCR handlers wait for Textract. */
  ocrSyncLambdaSeconds: 3,
  ocrAsyncStartLambdaSeconds: 0.3,
  ocrCompletionLambdaSeconds: 1,
  /** The starter Lambda per document, and SQS requests per object event. */
  starterLambdaSeconds: 0.1,
  sqsRequestsPerDocument: 3,
  /** Per document: S3 PUT/GET and DynamoDB writes/reads of the handlers (counted from the code paths). */
  s3PutsPerDocument: 3,
  s3GetsPerDocument: 5,
  dynamoWritesPerDocument: 6,
  dynamoReadsPerDocument: 4,
} as const;

/** Task states that are not Lambda invocations (service integrations). */
const NOT_LAMBDA = new Set(['StartExport', 'StartDelivery', 'StartFailureDelivery']);

export interface CostEstimate {
  transitions: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  textractPages: number;
  usd: { stepFunctions: number; lambda: number; textract: number; storage: number; events: number; pageModel: number; total: number };
}

export function estimateCost(runs: readonly RecordedRun[], documents: number, ocrPages: number): CostEstimate {
  let transitions = 0;
  let lambdaRequests = documents; // the starter
  let lambdaSeconds = documents * ASSUMPTIONS.starterLambdaSeconds;
  let modelSeconds = 0;
  for (const { run } of runs) {
    transitions += run.transitions;
    for (const entry of run.trace) {
      if ((entry.type !== 'TaskSucceeded' && entry.type !== 'TaskFailed') || !entry.state || NOT_LAMBDA.has(entry.state)) continue;
      lambdaRequests++;
      if (entry.state === 'OcrSync') lambdaSeconds += ASSUMPTIONS.ocrSyncLambdaSeconds;
      else if (entry.state === 'OcrAsync') {
        lambdaSeconds += ASSUMPTIONS.ocrAsyncStartLambdaSeconds + ASSUMPTIONS.ocrCompletionLambdaSeconds;
        lambdaRequests++; // the completion handler
      } else {
        const seconds = (entry.durationMs ?? 0) / 1000;
        lambdaSeconds += Math.max(seconds, 0.001);
        if (entry.state === 'Predict') modelSeconds += seconds;
      }
    }
  }
  const lambdaGbSeconds = lambdaSeconds * ASSUMPTIONS.lambdaMemoryGb;
  const usd = {
    stepFunctions: transitions * PRICES.stepFunctionsTransition,
    lambda: lambdaRequests * PRICES.lambdaRequest + lambdaGbSeconds * PRICES.lambdaGbSecond,
    textract: ocrPages * PRICES.textractPage,
    storage: documents * (ASSUMPTIONS.s3PutsPerDocument * PRICES.s3Put + ASSUMPTIONS.s3GetsPerDocument * PRICES.s3Get + ASSUMPTIONS.dynamoWritesPerDocument * PRICES.dynamoWrite + ASSUMPTIONS.dynamoReadsPerDocument * PRICES.dynamoRead),
    events: documents * (PRICES.eventBridgeEvent + ASSUMPTIONS.sqsRequestsPerDocument * PRICES.sqsRequest),
    pageModel: modelSeconds * PRICES.sageMakerServerlessSecond,
    total: 0,
  };
  usd.total = usd.stepFunctions + usd.lambda + usd.textract + usd.storage + usd.events + usd.pageModel;
  return { transitions, lambdaRequests, lambdaGbSeconds, textractPages: ocrPages, usd };
}
