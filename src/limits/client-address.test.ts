import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

const req = (peer: string, forwarded?: string) => ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('clientAddress (TRUST_PROXY)', () => {
  it('is the socket peer with 0 trusted hops, whatever X-Forwarded-For says', () => {
    expect(clientAddress(req('10.0.0.9', '1.2.3.4'), 0)).toBe('10.0.0.9');
  });
  it('is the address the trusted proxy saw, not one the client wrote itself', () => {
    expect(clientAddress(req('10.0.0.9', '203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(req('10.0.0.9', 'spoofed, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(req('10.0.0.9', 'spoofed, 203.0.113.7, 10.0.0.5'), 2)).toBe('203.0.113.7');
  });
  it('with more trusted hops than entries, is the leftmost entry', () => {
    expect(clientAddress(req('10.0.0.9', '203.0.113.7'), 5)).toBe('203.0.113.7');
    expect(clientAddress(req('10.0.0.9'), 1)).toBe('10.0.0.9');
  });
});
