/**
 * The page model's inference server, on the SageMaker hosting contract for custom containers:
 * GET /ping answers 200 when the model is loaded, POST /invocations takes the JSON of
 * lambdas/domain/page-model/contract.ts and answers one prediction per page. Port 8080 (SAGEMAKER_BIND_TO_PORT or
 * PORT override it). Malformed requests get 400 with a clear message, oversize ones 413; no request can crash it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InvocationRequest, requestPages, type InvocationResponse } from '../lambdas/domain/page-model/contract';
import { createClassifier, type ModelArtifact } from '../lambdas/domain/page-model/model';
import { loadModelArtifact } from '../lambdas/local/in-process-page-model';

export interface ServerOptions {
  /** Largest accepted request body. Default 5 MiB (SageMaker's real-time limit is 6 MB). */
  maxBodyBytes?: number;
  reviewThreshold?: number;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createModelServer(artifact: ModelArtifact, options: ServerOptions = {}): Server {
  const classifier = createClassifier(artifact, { reviewThreshold: options.reviewThreshold });
  const limit = options.maxBodyBytes ?? 5 * 1024 * 1024;
  return createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/ping') return reply(res, 200, { status: 'ok', model: artifact.name, modelVersion: artifact.version });
      if (req.method !== 'POST' || req.url !== '/invocations') return reply(res, 404, { error: { code: 'NOT_FOUND', message: 'Routes: GET /ping, POST /invocations.' } });
      const body = await readBody(req, limit);
      if (body === 'too-large') return reply(res, 413, { error: { code: 'REQUEST_TOO_LARGE', message: `The request is over ${limit} bytes: send fewer pages per request.` } });
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(res, 400, { error: { code: 'INVALID_JSON', message: 'The body is not JSON: send {"pages": [...]} with content-type application/json.' } });
      }
      const parsed = InvocationRequest.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
        return reply(res, 400, { error: { code: 'INVALID_REQUEST', message: `Expected {"pages": [page or {"text"}, ...]} (1 to 100 pages): ${problems.join('; ')}` } });
      }
      const threshold = parsed.data.threshold;
      const predict = threshold === undefined ? classifier : createClassifier(artifact, { reviewThreshold: threshold });
      const response: InvocationResponse = { model: artifact.name, modelVersion: artifact.version, predictions: requestPages(parsed.data).map((page) => predict.predictPage(page)) };
      return reply(res, 200, response);
    } catch (error) {
      if (!res.headersSent) reply(res, 500, { error: { code: 'INTERNAL', message: (error as Error).message } });
    }
  });
}

if (require.main === module) {
  const port = Number(process.env.SAGEMAKER_BIND_TO_PORT ?? process.env.PORT ?? 8080);
  const server = createModelServer(loadModelArtifact(process.env.MODEL_VERSION));
  server.listen(port, () => process.stdout.write(`page model listening on :${port}\n`));
  const stop = (): void => void server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
