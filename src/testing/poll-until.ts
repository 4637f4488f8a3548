/** Waits for a condition a test cannot be told about (a store reconnecting, a health check landing), polling it. */

/** Resolves once `condition` holds, checking every `everyMs` at most `tries` times; resolves anyway after that, so the test's own assertion says what did not happen. */
export async function pollUntil(condition: () => boolean | Promise<boolean>, { tries = 100, everyMs = 50 } = {}): Promise<void> {
  for (let i = 0; i < tries && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
