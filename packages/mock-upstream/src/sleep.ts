/** Abortable timers: every delay the mock injects must end as soon as the client goes away. */

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves never; rejects when the signal aborts. Models "hang" and "stall". */
export function waitForAbort(signal?: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(abortReason(signal));
    signal.addEventListener("abort", () => reject(abortReason(signal)), { once: true });
  });
}

/** A controller that also aborts when `parent` does (AbortSignal.any is not everywhere yet). */
export function childController(parent?: AbortSignal): AbortController {
  const child = new AbortController();
  if (parent?.aborted) child.abort(abortReason(parent));
  else parent?.addEventListener("abort", () => child.abort(abortReason(parent)), { once: true });
  return child;
}
