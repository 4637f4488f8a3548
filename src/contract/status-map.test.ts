import { describe, expect, it } from 'vitest';
import { isIndexKey, statusMap, statusMapOf } from './status-map.js';

describe('statusMap', () => {
  it('behaves as the plain object it replaces: keys in the same order, the same JSON', () => {
    const map = statusMapOf([['404', 'missing'], ['200', 'ok'], ['default', 'other']]);
    expect(Object.keys(map)).toEqual(['200', '404', 'default']);
    expect(JSON.stringify(map)).toBe('{"200":"ok","404":"missing","default":"other"}');
    expect(map).toEqual({ 200: 'ok', 404: 'missing', default: 'other' });
    expect(Object.keys(statusMap())).toEqual([]);
  });

  it('tells the keys V8 stores as elements from the others', () => {
    expect(['0', '200', '4294967294'].map(isIndexKey)).toEqual([true, true, true]);
    expect(['4294967295', '2XX', '007', '-1', '', 'default'].map(isIndexKey)).toEqual([false, false, false, false, false, false]);
  });
});
