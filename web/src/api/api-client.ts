// The one way the app talks to Modelmart: JSON over fetch. A signed-in browser is authenticated
// by its HTTP-only session cookie (sent by the browser itself, same origin only) plus the
// session's CSRF token on unsafe methods; a key given explicitly goes as a Bearer token instead.
// Every failure becomes an ApiError carrying the API's own message, code and param, so pages can
// show what went wrong and what to do about it.
import type { MessageKey } from '../i18n/messages';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly param: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface ApiClientOptions {
  /** Where the API lives; the page's own origin when empty. */
  readonly baseUrl?: string;
  /** An API key to send as a Bearer token instead of the session cookie (read on every call); none by default. */
  readonly getKey?: () => string | null;
  /** The cookie session's CSRF token, sent as x-csrf-token on unsafe methods (read on every call). */
  readonly getCsrfToken?: () => string | null;
  /** Called with every 401, after which the request still fails: the shell signs the app out. */
  readonly onUnauthorized?: (error: ApiError) => void;
  readonly fetchImplementation?: typeof fetch;
}

/** Methods a browser may be tricked into sending cross-site; the server wants the CSRF token on these. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

interface ErrorBody {
  readonly error: { readonly message?: unknown; readonly code?: unknown; readonly param?: unknown };
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'object' && value.error !== null;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** An ApiError from an OpenAI-shaped error body, or from the status alone when the body is not one. */
export function errorFromBody(status: number, body: unknown, requestId: string | null): ApiError {
  if (isErrorBody(body)) {
    const message = textOrNull(body.error.message) ?? `HTTP ${status}`;
    return new ApiError(status, message, textOrNull(body.error.code), textOrNull(body.error.param), requestId);
  }
  return new ApiError(status, `The server answered HTTP ${status}.`, null, null, requestId);
}

export function buildQueryString(query: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface SendOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (a file upload), with its own content type; wins over body. */
  readonly rawBody?: { readonly content: Blob | string; readonly contentType: string };
  readonly signal?: AbortSignal;
  readonly accept?: string;
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImplementation: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '';
    // Bound so that a browser's fetch is not called with the client as `this`.
    this.fetchImplementation = options.fetchImplementation ?? ((input, init) => fetch(input, init));
  }

  private headers(method: string, contentType: string | null, accept = 'application/json'): Record<string, string> {
    const headers: Record<string, string> = { accept };
    if (contentType !== null) headers['content-type'] = contentType;
    const key = this.options.getKey?.() ?? null;
    if (key !== null) {
      headers.authorization = `Bearer ${key}`;
      return headers;
    }
    const csrfToken = this.options.getCsrfToken?.() ?? null;
    if (csrfToken !== null && isUnsafeMethod(method)) headers['x-csrf-token'] = csrfToken;
    return headers;
  }

  /** Sends the request and returns the response when it is a success; throws ApiError otherwise. */
  async send(method: string, path: string, request: SendOptions = {}): Promise<Response> {
    const { body, signal, accept, rawBody } = request;
    let contentType: string | null = null;
    if (rawBody !== undefined) contentType = rawBody.contentType;
    else if (body !== undefined) contentType = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImplementation(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(method, contentType, accept),
        // The session cookie goes to this origin only, never to another site.
        credentials: 'same-origin',
        ...(rawBody !== undefined ? { body: rawBody.content } : body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, `The server could not be reached (${(error as Error).message}).`, 'network_error', null, null);
    }
    if (response.ok) return response;
    const requestId = response.headers.get('x-request-id');
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    const error = errorFromBody(response.status, parsed, requestId);
    if (response.status === 401) this.options.onUnauthorized?.(error);
    throw error;
  }

  async get<T>(path: string, query: Readonly<Record<string, QueryValue>> = {}, signal?: AbortSignal): Promise<T> {
    const response = await this.send('GET', `${path}${buildQueryString(query)}`, signal === undefined ? {} : { signal });
    return (await response.json()) as T;
  }

  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send('POST', path, signal === undefined ? { body } : { body, signal });
    return (await response.json()) as T;
  }

  async delete<T>(path: string): Promise<T> {
    const response = await this.send('DELETE', path);
    return (await response.json()) as T;
  }
}

/** What the reader can do about an error, as a message key. */
export function adviceFor(error: ApiError): MessageKey {
  if (error.code === 'network_error') return 'advice.network';
  if (error.code === 'ip_not_allowed') return 'advice.ipNotAllowed';
  if (error.code === 'csrf_token_invalid') return 'advice.csrf';
  if (error.code === 'model_not_allowed') return 'advice.modelNotAllowed';
  if (error.code === 'insufficient_quota') return 'advice.quota';
  switch (error.status) {
    case 400:
      return 'advice.badRequest';
    case 401:
      return 'advice.signIn';
    case 402:
      return 'advice.quota';
    case 403:
      return 'advice.forbidden';
    case 404:
      return 'advice.notFound';
    case 429:
      return 'advice.rateLimited';
    default:
      return error.status >= 500 ? 'advice.serverError' : 'advice.retry';
  }
}
