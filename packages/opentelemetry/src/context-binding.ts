import { AsyncLocalStorage } from 'node:async_hooks';
import { context, type Context } from '@opentelemetry/api';

/**
 * The AsyncLocalStorage behind OpenTelemetry's active context, when the registered context manager
 * keeps one (`AsyncLocalStorageContextManager`, which the Node SDK registers). A tracing channel's
 * `start.bindStore` on it makes a span active around the traced work, so that spans started inside
 * it (the HTTP instrumentation's) are its children. The API offers no public way to reach it: the
 * manager's fields are read as they are, and without them the spans are only not made active.
 */
export function otelContextStorage(): AsyncLocalStorage<Context> | undefined {
  try {
    const manager = (context as unknown as { _getContextManager?: () => unknown })._getContextManager?.() as
      { _asyncLocalStorage?: unknown; getAsyncLocalStorageLookup?: () => { asyncLocalStorage?: unknown } } | undefined;
    const storage = manager?.getAsyncLocalStorageLookup?.().asyncLocalStorage ?? manager?._asyncLocalStorage;
    return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
  } catch {
    return undefined;
  }
}
