/**
 * api: the client API behind API Gateway (REST, Lambda proxy integration). API Gateway has already checked the API
 * key and applied the usage plan's throttling and quota; this function maps the key's id to its client, then runs
 * the shared router (lambdas/domain/api/routes.ts). Every answer is JSON; nothing about a request's body or
 * a secret is logged.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DocpipeError } from '../domain/errors';
import { API_ERRORS } from '../domain/api/errors';
import { errorResponse, handleApiRequest, type ApiResponse } from '../domain/api/routes';
import type { ApiLambdaDeps } from '../aws/api-deps';
import { logger, withObservability } from './observability';
import { loadOnce, type Provide } from './pipeline-deps';

/**
 * The request's path from `/v1` on: rebuilt from the resource template and its parameters, so that a stage or a
 * custom domain's base path never shows in it.
 */
export function apiPathOf(event: Pick<APIGatewayProxyEvent, 'path' | 'resource' | 'pathParameters'>): string {
  if (event.resource && event.pathParameters) {
    const params = event.pathParameters;
    const path = event.resource.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => (params[name] !== undefined ? params[name]!.split('/').map(encodeURIComponent).join('/') : whole));
    if (!path.includes('{')) return path;
  }
  const at = event.path.indexOf('/v1/');
  return at > 0 ? event.path.slice(at) : event.path;
}

function bodyOf(event: APIGatewayProxyEvent): string | undefined {
  if (event.body == null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function createApiHandler(deps: Provide<ApiLambdaDeps>) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const apiKeyId = event.requestContext?.identity?.apiKeyId ?? undefined;
    const requestId = event.requestContext?.requestId;
    let clientId: string | undefined;
    let response: ApiResponse;
    try {
      const resolved = await deps();
      clientId = apiKeyId ? await resolved.clients.clientIdForApiKey(apiKeyId) : undefined;
      response = clientId
        ? await handleApiRequest({ method: event.httpMethod, path: apiPathOf(event), clientId, query: event.queryStringParameters, body: bodyOf(event) }, resolved.api)
        : errorResponse(new DocpipeError(API_ERRORS.API_KEY_UNKNOWN, 'This API key is not assigned to a client.'));
    } catch (error) {
      response = errorResponse(error);
    }
    const code = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
    const fields = { method: event.httpMethod, resource: event.resource, status: response.status, ...(code ? { code } : {}), ...(clientId ? { clientId } : {}), ...(apiKeyId ? { apiKeyId } : {}), apiRequestId: requestId };
    if (response.status >= 500) logger.error('api request failed', { ...fields, error: response.failure as Error });
    else logger.info('api request', fields);
    let body = response.body;
    // A 5xx says nothing of its cause; the request id (API Gateway's) finds it in the logs, as apiRequestId.
    if (response.status >= 500 && code) body = { error: { ...(body as { error: object }).error, requestId } };
    return {
      statusCode: response.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...response.headers },
      body: body === undefined ? '' : JSON.stringify(body),
    };
  };
}

/** The AWS wiring, created on first use and reused by the container (a failed start is tried again next time). */
export const awsApiDeps: Provide<ApiLambdaDeps> = /* @__PURE__ */ loadOnce(async () => (await import('../aws/api-deps')).apiDepsFromEnvironment());

export const handler = withObservability('api', createApiHandler(awsApiDeps), (output, metrics) => {
  metrics.addMetric(`ApiResponses_${Math.floor(output.statusCode / 100)}xx`, 'Count', 1);
});
