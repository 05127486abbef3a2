export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or undefined for an empty body. */
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A raw body sent as is (for malformed JSON tests). */
  rawBody?: string;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
}

/** A REST and GraphQL client for one server, the way an integrator would call it. */
export class Client {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.append(key, String(value));
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers["content-type"] ??= "application/json";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }
  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>("POST", path, options);
  }
  put<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>("PUT", path, options);
  }
  patch<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>("PATCH", path, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>("DELETE", path, options);
  }

  /** POST /graphql; resolves to the GraphQL response body and the HTTP status. */
  async graphql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const result = await this.post<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>(
      "/graphql",
      { body: { query, variables }, token },
    );
    return {
      status: result.status,
      data: result.body.data,
      errors: result.body.errors,
      codes: (result.body.errors ?? []).map((e) => e.extensions?.code),
    };
  }
}
