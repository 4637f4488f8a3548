import { describe, expect, it } from 'vitest';
import { duplicateKey } from './duplicate-keys.js';

const check = (text: string) => duplicateKey(text, JSON.parse(text));

describe('duplicate keys in a JSON body', () => {
  it('names the repeated key by its JSON pointer, at any depth', () => {
    expect(check('{"text":123,"text":"ok"}')).toBe('/text');
    expect(check('{"a":[{"x":1},{"b":{"c":1,"c":2}}]}')).toBe('/a/1/b/c');
    expect(check('{"a/b":{"~k":1,"~k":2}}')).toBe('/a~1b/~0k');
    expect(check('[1,{"k":"v:w","k":"\\u003a"}]')).toBe('/1/k');
    expect(check('{"t\\u0065xt":1,"text":2}')).toBe('/text');
    expect(check('{"a:b":"c:d","a:b":2}')).toBe('/a:b');
  });

  it('passes bodies without one, colons and escaped quotes in strings included', () => {
    expect(check('{"url":"http://x:1/a","at":"12:00","q":"say \\"a\\":b","n":{"url":"http://y"}}')).toBeUndefined();
    expect(check('{"a":{"k":1},"b":{"k":1}}')).toBeUndefined();
    expect(check('["a:b",{"c":1}]')).toBeUndefined();
    expect(check('"just:text"')).toBeUndefined();
    expect(check('{}')).toBeUndefined();
    expect(check('{"a":"\\u003a:","b:":["x:y"]}')).toBeUndefined();
  });
});
