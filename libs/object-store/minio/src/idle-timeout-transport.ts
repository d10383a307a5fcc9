import * as http from 'node:http';
import * as https from 'node:https';

/** What the `minio` client accepts as `transport` (its `Pick<typeof http, 'request'>`). */
export interface Transport {
  request: typeof http.request;
}

/**
 * `http(s).request` with an idle timeout: a socket that neither sends nor receives for
 * `timeoutMs` is destroyed with an `ETIMEDOUT` error. Node only emits 'timeout' and leaves the
 * request hanging, and the client does not listen for it, so without this a server that
 * accepts connections but never answers (overloaded, half-dead, blackholed) hangs a put for
 * ever instead of surfacing as unavailable. Idle, not total: large transfers are unaffected.
 */
export function idleTimeoutTransport(useSSL: boolean, timeoutMs: number): Transport {
  const base = useSSL ? https : http;
  const request = (options: http.RequestOptions, callback?: (response: http.IncomingMessage) => void) => {
    const req = base.request(options, callback);
    req.setTimeout(timeoutMs, () => {
      req.destroy(
        Object.assign(new Error(`no activity on the object store connection for ${timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      );
    });
    return req;
  };
  return { request: request as typeof http.request };
}
