type Entry = { readonly listener: (reason: unknown) => void };

const registries = new WeakMap<AbortSignal, Set<Entry>>();

/**
 * Runs `listener` when `signal` aborts; returns the function that unsubscribes. However many
 * callers share one signal (a request's signal handed to a hundred `getToken` calls), the signal
 * gets a single listener of kunci's, so Node never warns of a listener leak.
 */
export function onAbort(signal: AbortSignal, listener: (reason: unknown) => void): () => void {
  let entries = registries.get(signal);
  if (entries === undefined) {
    const created = new Set<Entry>();
    entries = created;
    registries.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        registries.delete(signal);
        for (const entry of [...created]) entry.listener(signal.reason);
        created.clear();
      },
      { once: true },
    );
  }
  const entry: Entry = { listener };
  const own = entries;
  own.add(entry);
  return () => {
    own.delete(entry);
  };
}
