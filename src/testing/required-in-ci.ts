/**
 * Suites that need a program Debian packages (Chromium, nginx, FastAPI, Django): skipped with the
 * reason on a machine without it, and failing with that reason under CI=true, where .ci/run
 * installs it.
 */
import { describe, it } from 'vitest';

/** Whether a program can run here, and if not, what to install. */
export type ProgramStatus = { available: true } | { available: false; message: string };

/** Says on stderr why the suite is skipped, and adds a suite that fails with that reason under CI=true. */
export function requiredInCi(status: ProgramStatus, suite: string, needs: string): void {
  if (status.available) return;
  process.stderr.write(`${status.message}\n`);
  describe.runIf(process.env.CI === 'true')(suite, () => {
    it(`needs ${needs} (CI=true): .ci/run installs it`, () => {
      throw new Error(status.message);
    });
  });
}
