/**
 * Spec-size scaling: for synthetic specs of 10 to 5,000 operations, and GitHub's REST description
 * through the mock server, start-up (spec load to listening, and to the first answered request),
 * peak RSS, and throughput to the first and the last declared operation, every size side by side.
 */
import { existsSync } from 'node:fs';
import { cpuMicros, peakRssMiB, start, stop, type Contender, type Running } from './contenders.js';
import { median } from './load.js';
import { measureWrk } from './wrk.js';
import { syntheticPath } from './synthetic-spec.js';

/** GitHub's REST description, from the npm package @octokit/openapi (a devDependency, not committed). */
export const GITHUB_SPEC = 'node_modules/@octokit/openapi/generated/api.github.com.json';

/** One spec's figures. */
export interface ScalingResult {
  /** `synthetic` for the generated specs, `github` for GitHub's REST description. */
  readonly spec?: 'synthetic' | 'github';
  readonly operations: number;
  /** Spec load to listening, measured in the server. */
  readonly startupMs: number;
  /** Spec load to the first answered request: startupMs plus the first request's round trip. */
  readonly specToFirstMs?: number;
  /** Process start (Node and module loading included) to the first answered request. */
  readonly firstRequestMs: number;
  readonly peakRssMiB: number;
  readonly firstRps: number;
  readonly lastRps: number;
  /** Server CPU µs per request to the first and the last operation (robust to machine noise). */
  readonly firstCpuUs?: number;
  readonly lastCpuUs?: number;
  /**
   * Last operation's req/s ÷ the 10-operation spec's, and the 10-operation spec's CPU µs per
   * request ÷ this one's: medians of per-round ratios, each of two loads run back to back.
   */
  readonly lastVs10?: number;
  readonly lastCpuVs10?: number;
}

/** A spec to scale over: how to start its server and the paths of its first and last operation. */
interface Case {
  readonly spec: 'synthetic' | 'github';
  readonly operations: number;
  readonly contender: Contender;
  readonly firstPath: string;
  readonly lastPath: string;
}

const synthetic = (n: number): Case => ({
  spec: 'synthetic',
  operations: n,
  contender: { name: `synthetic-${n}`, label: `${n} operations`, script: 'bench/servers/synthetic.ts', args: [String(n)] },
  firstPath: syntheticPath(0),
  lastPath: syntheticPath(n - 1),
});

// GitHub's first declared operation is `GET /` (the API root), its last
// `GET /orgs/{org}/organization-fine-grained-permissions`; neither declares security.
const github: Case = {
  spec: 'github',
  operations: 1223,
  contender: { name: 'mock-github', label: "GitHub's REST description (mock)", script: 'bench/servers/mock.ts', args: [GITHUB_SPEC] },
  firstPath: '/',
  lastPath: '/orgs/specgate/organization-fine-grained-permissions',
};

/** A started case, its start-up figures taken. */
interface Started {
  readonly c: Case;
  readonly running: Running;
  readonly startupMs: number;
  readonly roundTrip: number;
}

async function startCase(c: Case, token: string): Promise<Started> {
  const running = await start(c.contender);
  const t0 = performance.now();
  const first = await fetch(running.url + c.firstPath, { headers: { authorization: `Bearer ${token}` } });
  await first.arrayBuffer();
  if (first.status !== 200) throw new Error(`${c.contender.name}: first request answered ${first.status}`);
  return { c, running, startupMs: running.serverStartupMs ?? running.startupMs, roundTrip: performance.now() - t0 };
}

/** req/s and server CPU µs per request of one path, after a 1 s warm-up when asked. */
async function load(s: Started, path: string, seconds: number, token: string, warmUp: boolean) {
  const options = { connections: 50, token, taskId: '', path };
  if (warmUp) await measureWrk(s.running.url, 'GET /api/tasks/{taskId}', { ...options, seconds: 1 });
  const cpu0 = cpuMicros(s.running.child.pid);
  const m = await measureWrk(s.running.url, 'GET /api/tasks/{taskId}', { ...options, seconds });
  if (m.non2xx > 0 || m.errors > 0) throw new Error(`${s.c.contender.name} ${path}: ${m.non2xx} non-2xx, ${m.errors} errors`);
  return { rps: m.rps, cpuUs: m.requests > 0 ? (cpuMicros(s.running.child.pid) - cpu0) / m.requests : Number.NaN };
}

type Sample = { rps: number; cpuUs: number };

/**
 * Runs the scaling series; the quick variant only proves it works. Every spec's server is started
 * first, then loaded round by round, interleaved, so the sizes are compared side by side rather
 * than minutes apart; each synthetic size's last operation is loaded right after the 10-operation
 * spec's, and its ratio to 10 is the median of those pairs: on a shared machine the noise comes
 * in bursts of seconds, which a pair mostly shares.
 */
export async function runScaling(options: { quick: boolean; token: string }): Promise<ScalingResult[]> {
  const cases = (options.quick ? [10, 100] : [10, 100, 1000, 5000]).map(synthetic);
  if (existsSync(GITHUB_SPEC)) cases.push(github);
  else process.stdout.write(`skipping GitHub's description: ${GITHUB_SPEC} is not installed\n`);
  const rounds = options.quick ? 1 : 5;
  const seconds = options.quick ? 1 : 3;
  const started: Started[] = [];
  try {
    for (const c of cases) started.push(await startCase(c, options.token));
    const base = started[0]!;
    const samples = new Map<string, Sample[]>();
    const record = (key: string, m: Sample) => samples.set(key, [...(samples.get(key) ?? []), m]);
    const pairs = new Map<Started, { rps: number; cpu: number }[]>();
    for (let round = 1; round <= rounds; round++) {
      // Warm-ups in the first round only: after it every server has run its path hot.
      const warmUp = round === 1;
      for (const s of started) {
        const paired = s !== base && s.c.spec === 'synthetic';
        const before = paired ? await load(base, base.c.lastPath, seconds, options.token, false) : undefined;
        for (const [which, path] of [['last', s.c.lastPath], ['first', s.c.firstPath]] as const) {
          const m = await load(s, path, seconds, options.token, warmUp);
          record(`${s.c.contender.name}|${which}`, m);
          if (which === 'last' && before) pairs.set(s, [...(pairs.get(s) ?? []), { rps: m.rps / before.rps, cpu: before.cpuUs / m.cpuUs }]);
          process.stdout.write(`scaling round ${round} ${s.c.contender.name} ${which}: ${Math.round(m.rps)} req/s ${m.cpuUs.toFixed(1)} µs${which === 'last' && before ? ` (10 operations just before: ${Math.round(before.rps)} req/s ${before.cpuUs.toFixed(1)} µs)` : ''}\n`);
        }
      }
    }
    return started.map((s) => {
      const of = (which: 'first' | 'last') => samples.get(`${s.c.contender.name}|${which}`)!;
      const paired = s === base ? [{ rps: 1, cpu: 1 }] : pairs.get(s);
      return {
        spec: s.c.spec,
        operations: s.c.operations,
        startupMs: s.startupMs,
        specToFirstMs: s.startupMs + s.roundTrip,
        firstRequestMs: s.running.startupMs + s.roundTrip,
        peakRssMiB: peakRssMiB(s.running),
        firstRps: median(of('first').map((m) => m.rps)),
        lastRps: median(of('last').map((m) => m.rps)),
        firstCpuUs: median(of('first').map((m) => m.cpuUs)),
        lastCpuUs: median(of('last').map((m) => m.cpuUs)),
        ...(paired ? { lastVs10: median(paired.map((p) => p.rps)), lastCpuVs10: median(paired.map((p) => p.cpu)) } : {}),
      };
    });
  } finally {
    for (const s of started) await stop(s.running);
  }
}
