import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedPort } from '../testing/outage.js';
import { BEHAVIOURS, FRONTEND, startBroken, type BrokenServer } from '../testing/broken-cors.js';
import { runDoctor } from './cli.js';
import { diagnose, type DoctorRequest } from './diagnose.js';
import type { RequestHeader } from './rules.js';

type Kind = keyof typeof BEHAVIOURS;
const servers = new Map<Kind, BrokenServer>();

beforeAll(async () => {
  for (const kind of Object.keys(BEHAVIOURS) as Kind[]) servers.set(kind, await startBroken(kind));
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
});

const AUTH: RequestHeader = { name: 'Authorization', value: 'Bearer x' };
const request = (kind: Kind, over: Partial<DoctorRequest> = {}): DoctorRequest => ({
  url: servers.get(kind)!.url,
  origin: FRONTEND,
  method: 'GET',
  headers: [],
  credentials: false,
  ...over,
});

/** Each broken server, the fetch() that trips it, and the one diagnosis it must get. */
const diagnoses: [Kind, Partial<DoctorRequest>, string, string][] = [
  ['no-allow-origin-on-error', {}, 'blocked', 'no-allow-origin-on-error'],
  ['no-allow-origin-on-error', { headers: [AUTH], credentials: true }, 'blocked', 'no-allow-origin-on-error'],
  ['origin-not-allowed', { headers: [AUTH] }, 'blocked', 'origin-not-allowed'],
  ['origin-not-allowed', {}, 'blocked', 'origin-not-allowed'],
  ['other-origin', {}, 'blocked', 'origin-not-allowed'],
  ['wildcard-with-credentials', { credentials: true }, 'blocked', 'wildcard-with-credentials'],
  ['wildcard-with-credentials', { headers: [AUTH], credentials: true }, 'blocked', 'wildcard-with-credentials'],
  ['credentials-not-allowed', { credentials: true }, 'blocked', 'credentials-not-allowed'],
  ['multiple-allow-origin', {}, 'blocked', 'multiple-allow-origin'],
  ['header-not-allowed', { headers: [AUTH] }, 'blocked', 'header-not-allowed'],
  ['method-not-allowed', { method: 'PATCH' }, 'blocked', 'method-not-allowed'],
  ['preflight-error-status', { headers: [AUTH] }, 'blocked', 'preflight-error-status'],
  ['preflight-redirect', { method: 'DELETE' }, 'blocked', 'preflight-error-status'],
  ['missing-vary-origin', {}, 'allowed-with-warnings', 'missing-vary-origin'],
  ['correct', { method: 'patch' }, 'blocked', 'method-case'],
];

describe('cors doctor against deliberately broken servers', () => {
  it.each(diagnoses)('%s, %j: %s with %s', async (kind, over, verdict, code) => {
    const diagnosis = await diagnose(request(kind, over));
    expect({ verdict: diagnosis.verdict, codes: diagnosis.findings.map((f) => f.code) }).toEqual({ verdict, codes: [code] });
  });

  it('tells a redirected preflight from an error status', async () => {
    const [redirected, refused] = await Promise.all([
      diagnose(request('preflight-redirect', { method: 'DELETE' })),
      diagnose(request('preflight-error-status', { method: 'DELETE' })),
    ]);
    expect(redirected.findings[0]?.console).toBe('Redirect is not allowed for a preflight request.');
    expect(refused.findings[0]?.console).toBe("Response to preflight request doesn't pass access control check: It does not have HTTP ok status.");
  });

  it('covers every broken server', () => {
    expect(new Set(diagnoses.map(([kind]) => kind))).toEqual(new Set(Object.keys(BEHAVIOURS)));
  });

  it('passes the correct server, preflighted with credentials', async () => {
    const diagnosis = await diagnose(request('correct', { method: 'PATCH', headers: [AUTH, { name: 'Content-Type', value: 'application/json' }], credentials: true }));
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.verdict).toBe('allowed');
    expect(diagnosis.exchanges.map((e) => [e.label, e.status])).toEqual([
      ['preflight OPTIONS (PATCH, authorization, content-type)', 204],
      ['PATCH /api/things', 200],
    ]);
  });

  it('says nothing answered when nothing listens', async () => {
    const closed = await refusedPort();
    const url = closed.url.replace('postgres://postgres@', 'http://').replace('/test', '/api');
    const diagnosis = await diagnose({ ...request('correct'), url });
    expect(diagnosis.findings.map((f) => [f.code, f.problem])).toEqual([['unreachable', `Nothing answered at ${url} (ECONNREFUSED).`]]);
  });
});

describe('npm run cors:doctor', () => {
  const run = async (argv: string[]) => {
    let text = '';
    const code = await runDoctor(argv, (t) => (text += t));
    return { code, text };
  };

  it('explains a blocked error response in plain words and exits 1', async () => {
    const { code, text } = await run(['--url', servers.get('no-allow-origin-on-error')!.url, '--origin', FRONTEND, '--header', 'Authorization']);
    expect(code).toBe(1);
    expect(text).toContain('BLOCKED: a browser would not let the page read the response');
    expect(text).toContain(
      '✗ [no-allow-origin-on-error] The GET response answered 500 without Access-Control-Allow-Origin, although the server allows http://localhost:5173 elsewhere.',
    );
    expect(text).toContain("Browser console: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    expect(text).toContain('Fix: Add the CORS headers to error responses too');
  });

  it('exits 0 for the correct server and 2 for a missing Vary', async () => {
    expect((await run(['--url', servers.get('correct')!.url, '--origin', FRONTEND, '--credentials'])).code).toBe(0);
    expect((await run(['--url', servers.get('missing-vary-origin')!.url, '--origin', FRONTEND])).code).toBe(2);
  });

  it.each([
    [['--origin', FRONTEND], '--url and --origin are required.'],
    [['--url', 'http://127.0.0.1:1/', '--origin', 'http://localhost:5173/'], '--origin must be scheme://host[:port] as a browser sends it: "http://localhost:5173".'],
  ])('refuses bad arguments %j with exit 1', async (argv, message) => {
    const { code, text } = await run(argv);
    expect(code).toBe(1);
    expect(text.split('\n')[0]).toBe(message);
  });
});
