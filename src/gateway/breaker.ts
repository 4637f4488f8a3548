/**
 * A circuit breaker per upstream: after `failures` consecutive connection failures or timeouts
 * the circuit opens and requests are answered 503 at once for `cooldownMs`; then one probe goes
 * through, and its outcome closes the circuit or opens it again.
 */

/** What readiness reports for an upstream. */
export type UpstreamHealth = 'up' | 'down' | 'open';

/** One upstream's breaker. */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | undefined;
  private probing = false;
  private lastFailed = false;

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when a request may go; otherwise the seconds until the next probe may go. */
  refuse(): number | undefined {
    if (this.openedAt === undefined) return undefined;
    const left = this.openedAt + this.cooldownMs - this.now();
    if (left <= 0 && !this.probing) {
      this.probing = true;
      return undefined;
    }
    return Math.max(1, Math.ceil(left / 1000));
  }

  /** Records an answer from the upstream (any status): the circuit closes. */
  succeeded(): void {
    this.consecutive = 0;
    this.openedAt = undefined;
    this.probing = false;
    this.lastFailed = false;
  }

  /** Records a request that ended without an outcome (the client went away): a probe may go again. */
  abandoned(): void {
    this.probing = false;
  }

  /** Records a connection failure or timeout. */
  failed(): void {
    this.consecutive++;
    this.lastFailed = true;
    if (this.probing || this.consecutive >= this.failures) this.openedAt = this.now();
    this.probing = false;
  }

  /** up (last attempt answered, or none yet), down (last attempt failed), open (answering 503). */
  health(): UpstreamHealth {
    if (this.openedAt !== undefined) return 'open';
    return this.lastFailed ? 'down' : 'up';
  }
}
