/**
 * The typed client a frontend imports: openapi-fetch over the generated `paths`, with a base URL
 * and a bearer-token provider. Paths, parameters, bodies and responses are checked by `tsc`
 * against openapi.yaml; every error body is the spec's `Error`, its `error_type` a closed union.
 * Hand-written (it has no spec-specific code); the types it uses are generated/api.ts.
 */
import createClient, { type Client, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import type { components, operations, paths } from '../../generated/api.js';

export type { components, operations, paths };

/** The uniform error body of every 4xx/5xx response (components.schemas.Error). */
export type ApiErrorBody = components['schemas']['Error'];

/** The closed set of `error_type` values a frontend can switch on. */
export type ErrorType = components['schemas']['ErrorType'];

/** A task as the API returns it (components.schemas.Task). */
export type Task = components['schemas']['Task'];

/** How to reach the API. */
export interface ClientOptions {
  /** Where the API is, e.g. https://api.example.com (no trailing slash needed). */
  readonly baseUrl: string;
  /** Called before every request; its token, when there is one, goes in `Authorization: Bearer`. */
  readonly token?: () => string | undefined | null | Promise<string | undefined | null>;
  /** A fetch implementation (tests, SSR); the global one by default. */
  readonly fetch?: typeof globalThis.fetch;
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined ? never : P }[keyof paths];
type Init<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M>;
type Args<P extends keyof paths, M extends Method> = undefined extends Init<P, M> ? [init?: Init<P, M>] : [init: Init<P, M>];
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]> & Record<string | number, any>;
/**
 * One method of the client. Unlike openapi-fetch's own signature, `init` is not inferred as a
 * separate type parameter, so an object literal gets excess-property checks: a body field the
 * spec does not declare is a compile error, not silently sent.
 */
type StrictMethod<M extends Method> = <P extends PathsWith<M>>(
  url: P,
  ...init: Args<P, M>
) => Promise<FetchResponse<Operation<P, M>, Init<P, M>, `${string}/${string}`>>;

/** The typed client: `client.GET('/api/tasks/{taskId}', { params: { path: { taskId } } })` and so on. */
export interface ApiClient {
  readonly GET: StrictMethod<'get'>;
  readonly PUT: StrictMethod<'put'>;
  readonly POST: StrictMethod<'post'>;
  readonly DELETE: StrictMethod<'delete'>;
  readonly PATCH: StrictMethod<'patch'>;
  readonly use: Client<paths>['use'];
}

/** Creates the typed client. */
export function createApiClient(options: ClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const provider = options.token;
  if (provider) {
    client.use({
      async onRequest({ request }) {
        const token = await provider();
        if (token) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client as unknown as ApiClient;
}

/** Whether a value is the API's Error body (for errors that reach a generic catch). */
export function isApiError(value: unknown): value is ApiErrorBody {
  if (!value || typeof value !== 'object') return false;
  const body = value as Record<string, unknown>;
  return typeof body.detail === 'string' && typeof body.status_code === 'number' && typeof body.error_type === 'string' && typeof body.request_id === 'string';
}
