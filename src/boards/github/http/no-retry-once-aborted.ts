/**
 * A request stopped by its signal is not retried. undici rejects it with the signal's reason
 * (the daemon aborts with an Error saying why), which Octokit reports as a lost connection
 * (status 500): plugin-retry would try three more times, each failing at once, after waits of
 * 1 + 4 + 9 s — a graceful stop held 14 s. plugin-retry reads `retries` when the request fails,
 * so a getter answers 0 from the moment the signal is aborted — or the daemon began to stop.
 */
export function noRetryOnceAborted<R extends { signal?: AbortSignal | null; retries?: number }>(
  request: R,
  stopping: AbortSignal | undefined,
): R {
  const { signal, retries } = request;
  Object.defineProperty(request, 'retries', {
    get: () => (signal?.aborted || stopping?.aborted ? 0 : retries),
    enumerable: true,
    configurable: true,
  });
  return request;
}
