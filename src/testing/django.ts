/**
 * Runs the Django REST framework app of src/testing/django/ with Django's runserver from Debian's
 * packages (python3-django, python3-djangorestframework, python3-jwt), on a free port and a fresh
 * SQLite file, and writes the schema DRF itself generates (`manage.py generateschema`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const PYTHON = '/usr/bin/python3';
const PROJECT = new URL('./django/', import.meta.url).pathname;

/** Whether Django, DRF and what generateschema needs can run here, and if not what to tell the developer. */
export function djangoStatus(): { available: true } | { available: false; message: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import django, rest_framework, jwt, uritemplate, yaml'], { stdio: 'ignore' });
  if (probe.status === 0) return { available: true };
  return {
    available: false,
    message: 'Django, Django REST framework, PyJWT, uritemplate or PyYAML is not installed, so the gateway tests against DRF are skipped. Install them with: sudo apt-get install -y python3-django python3-djangorestframework python3-jwt python3-uritemplate python3-yaml',
  };
}

/** A running DRF app. */
export interface DjangoApp {
  /** Its origin, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The file holding the OpenAPI document DRF generated for it. */
  readonly schemaFile: string;
  close(): Promise<void>;
}

/** Migrates a fresh database, generates the schema, starts runserver (with `env` added) and waits until it answers. */
export async function startDjango(env: Record<string, string> = {}): Promise<DjangoApp> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-django-'));
  const childEnv = { ...process.env, ...env, SPECGATE_DJANGO_DB: join(dir, 'db.sqlite3'), PYTHONDONTWRITEBYTECODE: '1' };
  const manage = (args: string[]) => {
    const result = spawnSync(PYTHON, ['manage.py', ...args], { cwd: PROJECT, env: childEnv, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`manage.py ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  manage(['migrate', '--run-syncdb', '-v', '0']);
  const schemaFile = join(dir, 'schema.json');
  writeFileSync(schemaFile, manage(['generateschema', '--format', 'openapi-json']));
  const port = await freePort();
  const child: ChildProcess = spawn(PYTHON, ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], { cwd: PROJECT, env: childEnv, stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`runserver exited with ${child.exitCode}`);
    try {
      await fetch(`${origin}/products/`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: origin,
    schemaFile,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
