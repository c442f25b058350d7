/**
 * jest's fake clock for setTimeout alone: a client's timeoutMs, a manager's waits and the
 * sandbox's latency pass when the test advances it, while Date, the event loop and every HTTP
 * exchange stay real (providers sign and emulators check timestamps with the real clock).
 */
export function useFakeTimeouts(): void {
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
    ],
  });
}
