import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from './index.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) };

describe('RELOAD_ALLOW_BREAKING, RELOAD_POLL_SECONDS and SUNSET_ENFORCE', () => {
  it('are off by default', () => {
    expect(loadConfig(base).contract).toEqual({ allowBreaking: false, pollSeconds: 30, sunsetEnforce: false });
  });

  it('are turned on by true', () => {
    expect(loadConfig({ ...base, RELOAD_ALLOW_BREAKING: 'true', SUNSET_ENFORCE: 'true', RELOAD_POLL_SECONDS: '5' }).contract).toEqual({ allowBreaking: true, pollSeconds: 5, sunsetEnforce: true });
  });

  it('refuse a bad value, naming each', () => {
    expect(configProblems({ ...base, RELOAD_ALLOW_BREAKING: 'yes', SUNSET_ENFORCE: '1', RELOAD_POLL_SECONDS: '0' })).toEqual([
      'RELOAD_ALLOW_BREAKING must be "true" or "false" (got "yes").',
      'RELOAD_POLL_SECONDS must be an integer from 1 to 86400 (got "0").',
      'SUNSET_ENFORCE must be "true" or "false" (got "1").',
    ]);
  });
});
