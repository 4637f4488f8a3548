/** The upstream does not have an operation yet (it answered 404 or 501): with `--mock-missing` the mock answers instead (src/gateway/mocked.ts). */

/** Thrown by the forwarder, before anything is written, when the upstream answered 404 or 501 and `--mock-missing` is on; never a client-facing error. */
export class UpstreamMissing extends Error {
  constructor(
    readonly operationId: string,
    readonly status: number,
  ) {
    super(`The upstream answered ${status} to ${operationId}; the mock answers instead.`);
    this.name = 'UpstreamMissing';
  }
}
