// Responses: POST /v1/responses (stream and not) translated to and from chat completions,
// with stored conversation state for previous_response_id, retrieve and delete.
export {
  ResponsesService,
  type CreateResponseOptions,
  type CreateResponseResult,
  type ExecuteChat,
  type ExecuteStreamChat,
  type ResponsesServiceOptions,
} from './responses-service.js';
export {
  responsesRequestSchema,
  responseObjectSchema,
  responseStreamEventSchema,
  responseDeletedSchema,
  type ResponsesRequest,
  type ResponseObject,
  type ResponseStreamEvent,
  type ResponseDeleted,
} from '../api/responses-schemas.js';
