import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from './index.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) };

describe('RELOAD_ALLOW_BREAKING and SUNSET_ENFORCE', () => {
  it('are off by default', () => {
    expect(loadConfig(base).contract).toEqual({ allowBreaking: false, sunsetEnforce: false });
  });

  it('are turned on by true', () => {
    expect(loadConfig({ ...base, RELOAD_ALLOW_BREAKING: 'true', SUNSET_ENFORCE: 'true' }).contract).toEqual({ allowBreaking: true, sunsetEnforce: true });
  });

  it('refuse any other word, naming both', () => {
    expect(configProblems({ ...base, RELOAD_ALLOW_BREAKING: 'yes', SUNSET_ENFORCE: '1' })).toEqual([
      'RELOAD_ALLOW_BREAKING must be "true" or "false" (got "yes").',
      'SUNSET_ENFORCE must be "true" or "false" (got "1").',
    ]);
  });
});
