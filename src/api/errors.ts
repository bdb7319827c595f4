// An error a handler throws to answer with `{ error: { code, message } }` and this status.
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 415 | 422 | 503 | 507,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
