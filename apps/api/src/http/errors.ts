import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidCursorError } from '@medlineage/read-models';

export type ApiErrorCode = 'bad_request' | 'not_found' | 'forbidden' | 'internal_error';

/** An error with its HTTP status and JSON body `{ error, message, code? }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly error: ApiErrorCode,
    message: string,
    /** A stable domain code (denials and refusals), when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'not_found', message);
export const forbidden = (code: string, message: string): ApiError =>
  new ApiError(403, 'forbidden', message, code);

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): unknown;
}

const HTTP_ERRORS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
};

/** Maps every error to `{ error, message }`: bad input is 400, never 500. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const error = toApiError(exception);
    if (error.status >= 500) {
      process.stderr.write(
        `api: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}\n`,
      );
    }
    response.status(error.status).json({
      error: error.error,
      message: error.message,
      ...(error.code === undefined ? {} : { code: error.code }),
    });
  }
}

function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof InvalidCursorError) return badRequest(exception.message);
  // The read-model queries check limit and depth with RangeError (we validate first; belt and braces).
  if (exception instanceof RangeError) return badRequest(exception.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_ERRORS[status];
    if (code !== undefined) return new ApiError(status, code, exception.message);
    if (status < 500) return new ApiError(status, 'bad_request', exception.message);
  }
  return new ApiError(500, 'internal_error', 'internal error');
}
