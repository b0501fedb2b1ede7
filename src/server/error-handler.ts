// The single place that writes errors: everything thrown in a route, and every framework error
// (malformed JSON, wrong content type, body too large, unknown route), becomes the OpenAI
// error body {"error":{"message","type","param","code"}} with the right status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { ModelmartError, internalError } from '../core/index.js';
import { zodErrorToModelmartError } from '../api/index.js';

function fromFrameworkError(error: FastifyError, bodyLimit: number): ModelmartError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ModelmartError(413, `The request body is larger than the limit of ${bodyLimit} bytes.`, { code: 'request_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ModelmartError(415, 'Unsupported Content-Type: send the body as JSON with "Content-Type: application/json".', {
        code: 'unsupported_media_type',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ModelmartError(400, 'The request body is empty; a JSON object was expected.', { code: 'invalid_json' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ModelmartError(400, 'The Content-Length header does not match the body.', { code: 'invalid_content_length' });
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new ModelmartError(400, `We could not parse the JSON body of your request (${error.message}).`, { code: 'invalid_json' });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ModelmartError(error.statusCode, error.message, { code: error.code ?? null });
  }
  return undefined;
}

export function sendError(reply: FastifyReply, error: ModelmartError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).type('application/json').send(error.toBody());
}

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let failure: ModelmartError;
    if (error instanceof ModelmartError) failure = error;
    else if (error instanceof ZodError) failure = zodErrorToModelmartError(error);
    else failure = fromFrameworkError(error, bodyLimit) ?? internalError(error);
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
    return sendError(reply, failure);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return sendError(
      reply,
      new ModelmartError(404, `Unknown request URL: ${request.method} ${path}. Check the path and method; the API is documented at /openapi.json.`, {
        code: 'unknown_url',
      }),
    );
  });
}
