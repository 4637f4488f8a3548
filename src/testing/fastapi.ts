/**
 * Runs an app of src/testing/fastapi/ (app.py by default, shop.py) under uvicorn from Debian's
 * packages (python3-fastapi, python3-uvicorn, python3-jwt), on a free port, for the gateway's
 * tests against the seeds' real stack.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

/** Debian's Python, which has the python3-fastapi and python3-uvicorn packages. */
const PYTHON = '/usr/bin/python3';

/** Whether FastAPI and uvicorn can run here, and if not what to tell the developer. */
export function fastapiStatus(): { available: true } | { available: false; message: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn, jwt'], { stdio: 'ignore' });
  if (probe.status === 0) return { available: true };
  return { available: false, message: 'FastAPI, uvicorn or PyJWT is not installed, so the gateway tests against FastAPI are skipped. Install them with: sudo apt-get install -y python3-fastapi python3-uvicorn python3-jwt' };
}


/** A running FastAPI app. */
export interface FastApiApp {
  /** Its base URL, e.g. http://127.0.0.1:41234/api. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the app of `module` (with `env` added) and waits until it answers; its url is `<origin><basePath>`. */
export async function startFastApi(module = 'app', env: Record<string, string> = {}, basePath = '/api'): Promise<FastApiApp> {
  const port = await freePort();
  const appDir = new URL('./fastapi/', import.meta.url).pathname;
  const child: ChildProcess = spawn(PYTHON, ['-m', 'uvicorn', `${module}:app`, '--app-dir', appDir, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'critical'], { stdio: 'ignore', env: { ...process.env, ...env } });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`uvicorn exited with ${child.exitCode}`);
    try {
      await fetch(`${origin}/docs`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `${origin}${basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
