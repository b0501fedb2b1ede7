// The request body Modelmart sends to Gemini's generateContent. Built here, never parsed, so
// plain types suffice; the response side is validated with zod in gemini-api-types.ts.

export type GeminiRequestPart =
  | { readonly text: string }
  | { readonly inlineData: { readonly mimeType: string; readonly data: string } }
  | { readonly fileData: { readonly mimeType: string; readonly fileUri: string } }
  | { readonly functionCall: { readonly name: string; readonly args: Readonly<Record<string, unknown>> }; readonly thoughtSignature?: string }
  | { readonly functionResponse: { readonly name: string; readonly response: Readonly<Record<string, unknown>> } };

export interface GeminiContent {
  readonly role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

export interface GeminiFunctionDeclaration {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface GeminiToolConfig {
  readonly functionCallingConfig: { readonly mode: 'AUTO' | 'ANY' | 'NONE'; readonly allowedFunctionNames?: readonly string[] };
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: Readonly<Record<string, unknown>>;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: { readonly parts: readonly { readonly text: string }[] };
  tools?: [{ readonly functionDeclarations: readonly GeminiFunctionDeclaration[] }];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
}
