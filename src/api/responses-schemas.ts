// OpenAI Responses API wire format: the request (validated at the edge), the Response object,
// its input and output items, and the typed stream events. Modelmart serves it by translating
// to and from Chat Completions, so only what that translation can honour is accepted.
import { z } from 'zod';

// ---- Content parts -------------------------------------------------------------------------

const inputTextPartSchema = z.object({ type: z.literal('input_text'), text: z.string() });
const inputImagePartSchema = z.object({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).optional(),
});
const inputFilePartSchema = z.object({
  type: z.literal('input_file'),
  file_id: z.string().nullish(),
  file_data: z.string().optional(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
});
export const outputTextPartSchema = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).default([]),
  logprobs: z.array(z.unknown()).optional(),
});
export type OutputTextPart = z.infer<typeof outputTextPartSchema>;
export const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });
export type RefusalPart = z.infer<typeof refusalPartSchema>;

export const messageContentPartSchema = z.discriminatedUnion('type', [
  inputTextPartSchema,
  inputImagePartSchema,
  inputFilePartSchema,
  outputTextPartSchema,
  refusalPartSchema,
]);
export type MessageContentPart = z.infer<typeof messageContentPartSchema>;

const functionOutputPartSchema = z.discriminatedUnion('type', [inputTextPartSchema, inputImagePartSchema, inputFilePartSchema]);

// ---- Items ---------------------------------------------------------------------------------

const itemStatusSchema = z.enum(['in_progress', 'completed', 'incomplete']);

export const messageItemSchema = z.object({
  type: z.literal('message'),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(messageContentPartSchema)]),
  status: itemStatusSchema.optional(),
});
export type MessageItem = z.infer<typeof messageItemSchema>;

export const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string(),
  arguments: z.string(),
  status: itemStatusSchema.optional(),
});
export type FunctionCallItem = z.infer<typeof functionCallItemSchema>;

export const functionCallOutputItemSchema = z.object({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(functionOutputPartSchema)]),
  status: itemStatusSchema.nullish(),
});
export type FunctionCallOutputItem = z.infer<typeof functionCallOutputItemSchema>;

// A message item may omit `type` (the "easy input message"); it is filled in so the union can
// be discriminated and every stored item has one shape.
export const inputItemSchema = z.preprocess(
  (item) => (typeof item === 'object' && item !== null && !('type' in item) && 'role' in item ? { ...item, type: 'message' } : item),
  z.discriminatedUnion('type', [messageItemSchema, functionCallItemSchema, functionCallOutputItemSchema]),
);
export type InputItem = z.infer<typeof inputItemSchema>;

export const outputMessageItemSchema = z.object({
  type: z.literal('message'),
  id: z.string(),
  role: z.literal('assistant'),
  status: itemStatusSchema,
  content: z.array(z.discriminatedUnion('type', [outputTextPartSchema, refusalPartSchema])),
});
export type OutputMessageItem = z.infer<typeof outputMessageItemSchema>;

export const outputFunctionCallItemSchema = functionCallItemSchema.extend({ id: z.string(), status: itemStatusSchema });
export type OutputFunctionCallItem = z.infer<typeof outputFunctionCallItemSchema>;

export const outputItemSchema = z.discriminatedUnion('type', [outputMessageItemSchema, outputFunctionCallItemSchema]);
export type OutputItem = z.infer<typeof outputItemSchema>;

// ---- Request -------------------------------------------------------------------------------

// Responses tools are flat ({type, name, ...}); chat nests them under `function`.
export const responsesFunctionToolSchema = z.object({
  type: z.literal('function', { error: 'only tools of type "function" are supported' }),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'function names are 1-64 letters, digits, "_" or "-"'),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
export type ResponsesFunctionTool = z.infer<typeof responsesFunctionToolSchema>;

export const responsesToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string() }),
]);
export type ResponsesToolChoice = z.infer<typeof responsesToolChoiceSchema>;

export const textFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);
export type TextFormat = z.infer<typeof textFormatSchema>;

export const textConfigSchema = z.object({
  format: textFormatSchema.optional(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
});

export const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((metadata) => Object.keys(metadata).length <= 16, 'metadata holds at most 16 keys');

export const responsesRequestSchema = z.object({
  model: z.string().min(1, 'model is required'),
  input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesFunctionToolSchema).optional(),
  tool_choice: responsesToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  store: z.boolean().default(true),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  text: textConfigSchema.optional(),
  reasoning: z.object({ effort: z.string().nullish() }).loose().nullish(),
  metadata: metadataSchema.nullish(),
  user: z.string().optional(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

// ---- Response object -----------------------------------------------------------------------

export const responseUsageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  input_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative() }),
  output_tokens: z.number().int().nonnegative(),
  output_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative() }),
  total_tokens: z.number().int().nonnegative(),
});
export type ResponseUsage = z.infer<typeof responseUsageSchema>;

export const responseStatusSchema = z.enum(['in_progress', 'completed', 'incomplete', 'failed']);
export type ResponseStatus = z.infer<typeof responseStatusSchema>;

export const responseObjectSchema = z.object({
  id: z.string(),
  object: z.literal('response'),
  created_at: z.number().int(),
  status: responseStatusSchema,
  model: z.string(),
  output: z.array(outputItemSchema),
  usage: responseUsageSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  // `reason` is max_output_tokens or content_filter as upstream, or client_disconnected here.
  incomplete_details: z.object({ reason: z.string() }).nullable(),
  instructions: z.string().nullable(),
  previous_response_id: z.string().nullable(),
  tools: z.array(responsesFunctionToolSchema),
  tool_choice: responsesToolChoiceSchema,
  parallel_tool_calls: z.boolean(),
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  max_output_tokens: z.number().int().nullable(),
  text: z.object({ format: textFormatSchema }),
  truncation: z.literal('disabled'),
  store: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  user: z.string().nullable(),
});
export type ResponseObject = z.infer<typeof responseObjectSchema>;

export const responseDeletedSchema = z.object({ id: z.string(), object: z.literal('response'), deleted: z.literal(true) });
export type ResponseDeleted = z.infer<typeof responseDeletedSchema>;

// ---- Stream events -------------------------------------------------------------------------

const sequenced = { sequence_number: z.number().int().nonnegative() };
const located = { ...sequenced, item_id: z.string(), output_index: z.number().int().nonnegative() };
const inContent = { ...located, content_index: z.number().int().nonnegative() };
const contentPartSchema = z.discriminatedUnion('type', [outputTextPartSchema, refusalPartSchema]);
const withResponse = <Type extends string>(type: Type) =>
  z.object({ type: z.literal(type), ...sequenced, response: responseObjectSchema });

export const responseStreamEventSchema = z.discriminatedUnion('type', [
  withResponse('response.created'),
  withResponse('response.in_progress'),
  withResponse('response.completed'),
  withResponse('response.incomplete'),
  withResponse('response.failed'),
  z.object({ type: z.literal('response.output_item.added'), ...sequenced, output_index: z.number().int(), item: outputItemSchema }),
  z.object({ type: z.literal('response.output_item.done'), ...sequenced, output_index: z.number().int(), item: outputItemSchema }),
  z.object({ type: z.literal('response.content_part.added'), ...inContent, part: contentPartSchema }),
  z.object({ type: z.literal('response.content_part.done'), ...inContent, part: contentPartSchema }),
  z.object({ type: z.literal('response.output_text.delta'), ...inContent, delta: z.string(), logprobs: z.array(z.unknown()) }),
  z.object({ type: z.literal('response.output_text.done'), ...inContent, text: z.string(), logprobs: z.array(z.unknown()) }),
  z.object({ type: z.literal('response.refusal.delta'), ...inContent, delta: z.string() }),
  z.object({ type: z.literal('response.refusal.done'), ...inContent, refusal: z.string() }),
  z.object({ type: z.literal('response.function_call_arguments.delta'), ...located, delta: z.string() }),
  z.object({ type: z.literal('response.function_call_arguments.done'), ...located, name: z.string(), arguments: z.string() }),
]);
export type ResponseStreamEvent = z.infer<typeof responseStreamEventSchema>;
export type ResponseStreamEventType = ResponseStreamEvent['type'];
