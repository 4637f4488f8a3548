import { describe, expect, it } from 'vitest';
import { answerHead } from './answer-head.js';

describe('answerHead', () => {
  const stage = ['X-Request-ID', 'r1', 'Vary', 'Origin', 'Access-Control-Allow-Origin', 'https://app.example', 'RateLimit', 'limit=10'];

  it('writes the stage headers, then the kept upstream headers, with one Vary merging both', () => {
    const upstream = { 'content-type': 'application/json', 'content-length': '2', vary: 'Accept-Encoding, origin', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'x-request-id': 'theirs', 'access-control-allow-origin': '*', etag: '"1"' };
    expect(answerHead(stage, upstream, 2)).toEqual([
      'X-Request-ID', 'r1', 'Vary', 'Origin, Accept-Encoding', 'Access-Control-Allow-Origin', 'https://app.example', 'RateLimit', 'limit=10',
      'content-type', 'application/json', 'content-length', '2', 'etag', '"1"',
    ]);
  });

  it("lets an upstream header replace a stage header of the same name, drops what Connection names, and keeps repeated values", () => {
    const upstream = { ratelimit: 'limit=5', connection: 'x-hop', 'x-hop': 'secret', 'set-cookie': ['a=1', 'b=2'] };
    expect(answerHead(stage, upstream, undefined)).toEqual([
      'X-Request-ID', 'r1', 'Vary', 'Origin', 'Access-Control-Allow-Origin', 'https://app.example',
      'ratelimit', 'limit=5', 'set-cookie', ['a=1', 'b=2'],
    ]);
  });

  it('states the length of a body written whole when the upstream sent none, and adds the upstream Vary when the stages set none', () => {
    expect(answerHead(undefined, { 'content-type': 'text/plain', vary: 'Accept' }, 5)).toEqual(['content-type', 'text/plain', 'Vary', 'Accept', 'Content-Length', '5']);
  });
});
