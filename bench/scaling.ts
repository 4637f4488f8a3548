/**
 * Spec-size scaling: for synthetic specs of 10 to 5,000 operations, and GitHub's REST description
 * through the mock server, start-up (spec load to listening, and to the first answered request),
 * peak RSS, and throughput to the first and the last declared operation.
 */
import { existsSync } from 'node:fs';
import { cpuMicros, peakRssMiB, start, stop, type Contender } from './contenders.js';
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

async function scale(c: Case, options: { seconds: number; token: string }): Promise<ScalingResult> {
  const running = await start(c.contender);
  try {
    const t0 = performance.now();
    const first = await fetch(running.url + c.firstPath, { headers: { authorization: `Bearer ${options.token}` } });
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`${c.contender.name}: first request answered ${first.status}`);
    const roundTrip = performance.now() - t0;
    const startupMs = running.serverStartupMs ?? running.startupMs;
    const load = async (path: string) => {
      const load_ = { connections: 50, token: options.token, taskId: '', path };
      await measureWrk(running.url, 'GET /api/tasks/{taskId}', { ...load_, seconds: 1 });
      const cpu0 = cpuMicros(running.child.pid);
      const m = await measureWrk(running.url, 'GET /api/tasks/{taskId}', { ...load_, seconds: options.seconds });
      if (m.non2xx > 0 || m.errors > 0) throw new Error(`${c.contender.name} ${path}: ${m.non2xx} non-2xx, ${m.errors} errors`);
      return { rps: m.rps, cpuUs: m.requests > 0 ? (cpuMicros(running.child.pid) - cpu0) / m.requests : Number.NaN };
    };
    const firstLoad = await load(c.firstPath);
    const lastLoad = await load(c.lastPath);
    const [firstRps, lastRps] = [firstLoad.rps, lastLoad.rps];
    const result = {
      spec: c.spec,
      operations: c.operations,
      startupMs,
      specToFirstMs: startupMs + roundTrip,
      firstRequestMs: running.startupMs + roundTrip,
      peakRssMiB: peakRssMiB(running),
      firstRps,
      lastRps,
      firstCpuUs: firstLoad.cpuUs,
      lastCpuUs: lastLoad.cpuUs,
    };
    process.stdout.write(`scaling ${c.contender.name}: start ${Math.round(startupMs)} ms, first ${Math.round(firstRps)} req/s ${firstLoad.cpuUs.toFixed(1)} µs, last ${Math.round(lastRps)} req/s ${lastLoad.cpuUs.toFixed(1)} µs\n`);
    return result;
  } finally {
    await stop(running);
  }
}

/** Runs the scaling series; the quick variant only proves it works. */
export async function runScaling(options: { quick: boolean; token: string }): Promise<ScalingResult[]> {
  const cases = (options.quick ? [10, 100] : [10, 100, 1000, 5000]).map(synthetic);
  if (existsSync(GITHUB_SPEC)) cases.push(github);
  else process.stdout.write(`skipping GitHub's description: ${GITHUB_SPEC} is not installed\n`);
  const results: ScalingResult[] = [];
  for (const c of cases) results.push(await scale(c, { seconds: options.quick ? 1 : 5, token: options.token }));
  return results;
}
