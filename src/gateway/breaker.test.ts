import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.js';

describe('the circuit breaker', () => {
  it('opens after N consecutive failures, lets one probe through after the cool-down, and closes on an answer', () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 10_000, () => now);
    breaker.failed();
    expect([breaker.refuse(), breaker.health()]).toEqual([undefined, 'down']);
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect([breaker.refuse(), breaker.health()]).toEqual([10, 'open']);
    now = 9_001;
    expect(breaker.refuse()).toBe(1);
    now = 10_000;
    expect(breaker.refuse()).toBeUndefined();
    expect(breaker.refuse()).toBe(1);
    breaker.succeeded();
    expect([breaker.refuse(), breaker.health()]).toEqual([undefined, 'up']);
  });

  it('opens again at once when the probe fails, and lets another probe go when one was abandoned', () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1000, () => now);
    breaker.failed();
    now = 1000;
    expect(breaker.refuse()).toBeUndefined();
    breaker.failed();
    expect(breaker.refuse()).toBe(1);
    now = 2000;
    expect(breaker.refuse()).toBeUndefined();
    breaker.abandoned();
    expect(breaker.refuse()).toBeUndefined();
  });

  it('tells each change of state once: open, half-open, closed, never each refused request', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker(2, 1000, () => now, (to, from, cause) => changes.push(`${from}->${to} (${cause})`));
    breaker.failed();
    breaker.failed();
    for (let i = 0; i < 100; i++) breaker.refuse();
    now = 1000;
    expect(breaker.refuse()).toBeUndefined();
    breaker.failed();
    breaker.checkFailed();
    breaker.succeeded('health check');
    expect(changes).toEqual(['closed->open (request)', 'open->half-open (request)', 'half-open->open (request)', 'open->closed (health check)']);
  });

  it('asks for health checks until the upstream first answers, and while the circuit is open', () => {
    const breaker = new CircuitBreaker(1, 1000);
    expect(breaker.needsCheck()).toBe(true);
    breaker.checkFailed();
    expect([breaker.needsCheck(), breaker.health()]).toEqual([true, 'down']);
    breaker.succeeded('health check');
    expect([breaker.needsCheck(), breaker.health()]).toEqual([false, 'up']);
    breaker.failed();
    expect([breaker.needsCheck(), breaker.health()]).toEqual([true, 'open']);
  });
});
