import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { benchToken, TASK_ID, BENCH_ORIGIN } from './fixtures.js';
const startP = (args: string[]) => new Promise<{url:string, kill:()=>void}>((resolve) => {
  const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: '/work/wt/gateway' });
  c.stdout.on('data', (d) => { const m = /ready (\d+)/.exec(String(d)); if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, kill: () => c.kill('SIGINT') }); });
});
const up = await startP(['--import', 'tsx', 'bench/gateway/upstream.ts']);
const gw = await startP(['--cpu-prof', '--cpu-prof-dir=/tmp/gwprof', '--import', 'tsx', 'bench/gateway/specgate.ts', up.url]);
const token = await benchToken();
const r = await autocannon({ url: `${gw.url}/api/tasks/${TASK_ID}`, connections: 10, duration: 6, headers: { origin: BENCH_ORIGIN, authorization: `Bearer ${token}` } });
console.log(r.requests.average, r.latency.p50);
gw.kill(); up.kill();
await new Promise((r) => setTimeout(r, 1500));
