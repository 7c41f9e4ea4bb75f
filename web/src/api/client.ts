import createClient, { type Middleware } from 'openapi-fetch';
import { session, signOut } from '../auth';
import type { paths } from './schema';

/** The error body every API error has (src/common/errors/all-exceptions.filter.ts). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  messageZh?: string;
  code?: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** Called when the API answers 401 to a signed-in request: the page asks to sign in again. */
let onExpired: () => void = () => undefined;
export const setExpiredHandler = (fn: () => void) => (onExpired = fn);
/** Called when the API answers 403 PASSWORD_CHANGE_REQUIRED: the page shows the password form first. */
let onPasswordChange: () => void = () => undefined;
export const setPasswordChangeHandler = (fn: () => void) => (onPasswordChange = fn);

const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('Authorization', `Bearer ${session.token}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      signOut();
      onExpired();
    }
    if (response.status === 403) {
      const body = (await response.clone().json().catch(() => null)) as ApiErrorBody | null;
      if (body?.code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChange();
    }
    return response;
  },
};

/** The typed client: every path, parameter and body checked against the app's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The answer's data, or an ApiError with the API's error body. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const body = (error && typeof error === 'object' ? error : { statusCode: response.status, error: response.statusText, message: String(error ?? response.statusText) }) as ApiErrorBody;
    throw new ApiError(response.status, body);
  }
  return data as T;
}
