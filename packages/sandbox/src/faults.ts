import { configError, type TokenFlow } from '@kunci/core/provider';
import { isSandboxProvider, SANDBOX_PROVIDERS, type SandboxProvider } from './drivers';

/** A token request's flow: the providers' own vocabulary. */
export type SandboxFlow = TokenFlow;

/** A token request, or an API call beside the token endpoints (signed with the token, by the providers that sign). */
export type SandboxCall = 'token' | 'service';

export type FaultKind = 'status' | 'retryAfter' | 'latency' | 'hang' | 'reset' | 'html' | 'malformed' | 'skew';

export const FAULT_KINDS: readonly FaultKind[] = Object.freeze([
  'status',
  'retryAfter',
  'latency',
  'hang',
  'reset',
  'html',
  'malformed',
  'skew',
]);

/**
 * Something going wrong on the provider's side, for resilience tests. Without `times` or `rate`
 * it hits every matching request until `clearFaults()`.
 */
export interface Fault {
  /** Only this provider's requests; default all. */
  provider?: SandboxProvider;
  /** Only this flow's requests; default all. */
  flow?: SandboxFlow;
  kind: FaultKind;
  /** `status`: the 4xx or 5xx answered, with the provider's error body. */
  status?: number;
  /** `latency`: the delay before the real answer; `skew`: how far the emulator's clock moves (may be negative). */
  ms?: number;
  /** `retryAfter`: the `Retry-After` header of the 429. Default 1. */
  retryAfterSeconds?: number;
  /** Only the next N matching requests. */
  times?: number;
  /** Only this fraction (0 to 1) of the matching requests. */
  rate?: number;
}

/** What the faults do to one request. */
export interface FaultEffect {
  /** Added to the emulator's clock. */
  skewMs: number;
  /** Waited before answering. */
  latencyMs: number;
  /** Replaces the emulator's answer. */
  answer?: Fault;
}

const isWhole = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function faultProblems(fault: Fault): string[] {
  const problems: string[] = [];
  if (typeof fault !== 'object' || fault === null) return ['a fault must be an object'];
  if (!FAULT_KINDS.includes(fault.kind)) problems.push(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (fault.provider !== undefined && !isSandboxProvider(fault.provider))
    problems.push(`provider must be one of ${SANDBOX_PROVIDERS.join(', ')}`);
  if (fault.flow !== undefined && fault.flow !== 'b2b' && fault.flow !== 'b2b2c')
    problems.push('flow must be b2b or b2b2c');
  if (fault.kind === 'status' && !isWhole(fault.status, 400, 599)) problems.push('status must be a 4xx or 5xx status');
  if (fault.kind === 'latency' && !isWhole(fault.ms, 0, 600_000))
    problems.push('ms must be a whole number of milliseconds, 0 to 600000');
  if (fault.kind === 'skew' && !(typeof fault.ms === 'number' && Number.isInteger(fault.ms)))
    problems.push('ms must be a whole number of milliseconds');
  if (fault.retryAfterSeconds !== undefined && !isWhole(fault.retryAfterSeconds, 0, 86_400))
    problems.push('retryAfterSeconds must be a whole number, 0 to 86400');
  if (fault.times !== undefined && !isWhole(fault.times, 1))
    problems.push('times must be a whole number of at least 1');
  if (fault.rate !== undefined && !(typeof fault.rate === 'number' && fault.rate >= 0 && fault.rate <= 1))
    problems.push('rate must be a number from 0 to 1');
  return problems;
}

/** The faults in force, in the order they were injected. */
export class FaultBook {
  readonly #faults: Array<{ fault: Fault; left: number }> = [];

  constructor(private readonly random: () => number) {}

  add(fault: Fault): void {
    const problems = faultProblems(fault);
    if (problems.length > 0)
      throw configError(
        'sandbox',
        problems.map((p) => `fault ${p}`),
      );
    this.#faults.push({ fault: { ...fault }, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /** Applies the faults that match one request, using up their `times`. */
  take(provider: SandboxProvider | undefined, flow: SandboxFlow | undefined): FaultEffect {
    const effect: FaultEffect = { skewMs: 0, latencyMs: 0 };
    for (const entry of [...this.#faults]) {
      const { fault } = entry;
      if (fault.provider !== undefined && fault.provider !== provider) continue;
      if (fault.flow !== undefined && fault.flow !== flow) continue;
      // A fault that replaces the answer leaves the others that do the same for later requests.
      const replaces = fault.kind !== 'skew' && fault.kind !== 'latency';
      if (replaces && effect.answer !== undefined) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      if (fault.kind === 'skew') effect.skewMs += fault.ms ?? 0;
      else if (fault.kind === 'latency') effect.latencyMs += fault.ms ?? 0;
      else effect.answer = fault;
      entry.left -= 1;
      if (entry.left <= 0) this.#faults.splice(this.#faults.indexOf(entry), 1);
    }
    return effect;
  }
}
