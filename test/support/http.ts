export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this exact text as the body (for malformed-input tests). */
  raw?: string;
}

/**
 * A small HTTP client for tests: JSON in, JSON (or text) out, never throws on 4xx/5xx. The base
 * URL may be a function, read on each call (a client made before its app has started).
 */
export function client(baseUrl: string | (() => string)) {
  const base = typeof baseUrl === 'function' ? baseUrl : () => baseUrl;
  async function call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${base()}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text } satisfies Reply<T>;
  }
  return {
    call,
    get: <T = Record<string, unknown>>(path: string, o?: CallOptions) => call<T>('GET', path, o),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, o?: CallOptions) =>
      call<T>('POST', path, { ...o, body: body ?? {} }),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, o?: CallOptions) =>
      call<T>('PUT', path, { ...o, body: body ?? {} }),
  };
}

export type Client = ReturnType<typeof client>;
