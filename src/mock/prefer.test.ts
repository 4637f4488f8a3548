import { describe, expect, it } from 'vitest';
import { parsePrefer } from './prefer.js';

describe('parsePrefer', () => {
  it('reads code, example and dynamic, alone or combined, with , or ; between them', () => {
    expect(parsePrefer('code=404')).toEqual({ code: '404', dynamic: false });
    expect(parsePrefer('code=200, example=cat')).toEqual({ code: '200', example: 'cat', dynamic: false });
    expect(parsePrefer('dynamic=true; code="201"')).toEqual({ code: '201', dynamic: true });
    expect(parsePrefer('example="two words"')).toEqual({ example: 'two words', dynamic: false });
  });

  it('ignores other preferences, a missing header and malformed parts; the first of a repeated key wins', () => {
    expect(parsePrefer('return=minimal, respond-async, wait=5')).toEqual({ dynamic: false });
    expect(parsePrefer(undefined)).toEqual({ dynamic: false });
    expect(parsePrefer('code=404, code=500, dynamic=yes')).toEqual({ code: '404', dynamic: false });
  });
});
