import { describe, expect, it } from 'vitest';
import { etagOf, matchHolds, noneMatchHits } from './conditional.js';

const task = { id: '3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01', title: 'a', description: null, is_completed: false, created_at: 'x', updated_at: 'x' };

describe('etagOf', () => {
  it('is a quoted strong tag that changes with any byte of the representation', () => {
    const tag = etagOf(task);
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf({ ...task })).toBe(tag);
    expect(etagOf({ ...task, is_completed: true })).not.toBe(tag);
  });
});

describe('If-None-Match (weak comparison)', () => {
  const tag = etagOf(task);
  it.each([
    [tag, true],
    [`W/${tag}`, true],
    [`"other", ${tag}`, true],
    ['*', true],
    ['"other"', false],
  ])('%s hits: %s', (field, hits) => expect(noneMatchHits(field, tag)).toBe(hits));
  it('an absent field never hits', () => expect(noneMatchHits(undefined, tag)).toBe(false));
});

describe('If-Match (strong comparison)', () => {
  const tag = etagOf(task);
  it.each([
    [tag, true],
    [`"other" , ${tag}`, true],
    ['*', true],
    [`W/${tag}`, false],
    ['"other"', false],
  ])('%s holds: %s', (field, holds) => expect(matchHolds(field, tag)).toBe(holds));
  it('an absent field always holds', () => expect(matchHolds(undefined, tag)).toBe(true));
});
