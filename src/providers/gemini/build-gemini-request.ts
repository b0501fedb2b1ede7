// A validated OpenAI chat request → Gemini's generateContent body: contents, tools as
// functionDeclarations, tool_choice as functionCallingConfig, and generationConfig. Parameters
// Gemini lacks are dropped with a warning, so the caller learns what was not honoured.
import type { ChatCompletionRequest } from '../../api/index.js';
import { convertJsonSchemaToGemini } from './convert-json-schema-to-gemini.js';
import { convertToGeminiContents, type GeminiContentOptions } from './convert-to-gemini-contents.js';
import type { GeminiFunctionDeclaration, GeminiGenerateContentRequest, GeminiGenerationConfig, GeminiToolConfig } from './gemini-request-types.js';

function isSet<Value>(value: Value | null | undefined): value is Value {
  return value !== null && value !== undefined;
}

function warnAboutUnsupported(request: ChatCompletionRequest, warnings: string[]): void {
  const dropped: string[] = [];
  if (request.logprobs === true || isSet(request.top_logprobs)) dropped.push('logprobs');
  if (isSet(request.logit_bias) && Object.keys(request.logit_bias).length > 0) dropped.push('logit_bias');
  if (request.parallel_tool_calls === false) dropped.push('parallel_tool_calls');
  if (request.reasoning_effort !== undefined) dropped.push('reasoning_effort');
  for (const name of dropped) warnings.push(`${name} was dropped: Gemini does not support it.`);
}

function functionDeclarations(request: ChatCompletionRequest): GeminiFunctionDeclaration[] {
  return (request.tools ?? []).map((tool) => {
    const parameters = convertJsonSchemaToGemini(tool.function.parameters);
    return {
      name: tool.function.name,
      ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
      ...(parameters === undefined ? {} : { parameters }),
    };
  });
}

function toolConfig(request: ChatCompletionRequest): GeminiToolConfig | undefined {
  const choice = request.tool_choice;
  if (choice === undefined || request.tools === undefined || request.tools.length === 0) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}

function generationConfig(request: ChatCompletionRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (isSet(request.temperature)) config.temperature = request.temperature;
  if (isSet(request.top_p)) config.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (isSet(maxTokens)) config.maxOutputTokens = maxTokens;
  if (isSet(request.stop)) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : [...request.stop];
  if (isSet(request.n) && request.n > 1) config.candidateCount = request.n;
  if (isSet(request.seed)) config.seed = request.seed;
  if (isSet(request.presence_penalty)) config.presencePenalty = request.presence_penalty;
  if (isSet(request.frequency_penalty)) config.frequencyPenalty = request.frequency_penalty;
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = convertJsonSchemaToGemini(format.json_schema.schema);
    if (schema !== undefined) config.responseSchema = schema;
  }
  return config;
}

export function buildGeminiRequest(request: ChatCompletionRequest, options: GeminiContentOptions, warnings: string[]): GeminiGenerateContentRequest {
  warnAboutUnsupported(request, warnings);
  const prompt = convertToGeminiContents(request.messages, options, warnings);
  const body: GeminiGenerateContentRequest = { contents: prompt.contents };
  if (prompt.systemInstruction !== undefined) body.systemInstruction = prompt.systemInstruction;
  const declarations = functionDeclarations(request);
  if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }];
  const config = toolConfig(request);
  if (config !== undefined) body.toolConfig = config;
  const generation = generationConfig(request);
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  return body;
}
