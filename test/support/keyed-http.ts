// A plain HTTP call with a bearer key, the way a store client would make it: JSON or any body with
// its content type, the answer's status, parsed JSON body (empty object for no body) and text.

export interface KeyedAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/** Calls `baseUrl()` + path; the base URL is read per call, since servers listen after tests set up. */
export function keyedHttp(baseUrl: () => string) {
  return async (method: string, path: string, key: string, body?: unknown, contentType = 'application/json'): Promise<KeyedAnswer> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), text };
  };
}
