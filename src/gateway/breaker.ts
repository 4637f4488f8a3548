/**
 * A circuit breaker per upstream: after `failures` consecutive connection failures or timeouts
 * the circuit opens and requests are answered 503 at once for `cooldownMs`; then one probe goes
 * through (half-open), and its outcome closes the circuit or opens it again. An active health
 * check (src/gateway/health-checks.ts) is a probe too: its answer closes an open circuit without
 * waiting for client traffic. Each change of state is told to `onChange` once (a log line), never
 * each refused request.
 */

/** What readiness reports for an upstream. */
export type UpstreamHealth = 'up' | 'down' | 'open';

/** The breaker's state: closed (requests go), open (refused), half-open (one probe in flight). */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Told of each change of state, with what caused it. */
export type BreakerChange = (to: BreakerState, from: BreakerState, cause: 'request' | 'health check') => void;

/** One upstream's breaker. */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | undefined;
  private probing = false;
  private lastFailed = false;
  private answered = false;

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
    private readonly onChange: BreakerChange = () => {},
  ) {}

  /** The state now: closed, open, or half-open while a probe is in flight. */
  state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.probing ? 'half-open' : 'open';
  }

  /** Undefined when a request may go; otherwise the seconds until the next probe may go. */
  refuse(): number | undefined {
    if (this.openedAt === undefined) return undefined;
    const left = this.openedAt + this.cooldownMs - this.now();
    if (left <= 0 && !this.probing) {
      this.probing = true;
      this.onChange('half-open', 'open', 'request');
      return undefined;
    }
    return Math.max(1, Math.ceil(left / 1000));
  }

  /** Records an answer from the upstream (any status): the circuit closes. */
  succeeded(cause: 'request' | 'health check' = 'request'): void {
    const from = this.state();
    this.consecutive = 0;
    this.openedAt = undefined;
    this.probing = false;
    this.lastFailed = false;
    this.answered = true;
    if (from !== 'closed') this.onChange('closed', from, cause);
  }

  /** Records a request that ended without an outcome (the client went away): a probe may go again. */
  abandoned(): void {
    if (this.probing) this.onChange('open', 'half-open', 'request');
    this.probing = false;
  }

  /** Records a connection failure or timeout. */
  failed(): void {
    const from = this.state();
    this.consecutive++;
    this.lastFailed = true;
    if (this.probing || this.consecutive >= this.failures) this.openedAt = this.now();
    this.probing = false;
    if (this.openedAt !== undefined && from !== 'open') this.onChange('open', from, 'request');
  }

  /**
   * Records a failed health check (no connection, a timeout or a 5xx): an open circuit stays open
   * (its cool-down is not extended); a closed one is reported down but only client requests open it.
   */
  checkFailed(): void {
    if (this.openedAt === undefined) this.lastFailed = true;
  }

  /** Whether an active health check is worth sending: the circuit is open, or the upstream never answered. */
  needsCheck(): boolean {
    return this.openedAt !== undefined || !this.answered;
  }

  /** up (last attempt answered, or none yet), down (last attempt failed), open (answering 503). */
  health(): UpstreamHealth {
    if (this.openedAt !== undefined) return 'open';
    return this.lastFailed ? 'down' : 'up';
  }
}
