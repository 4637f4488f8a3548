/**
 * Deliberately broken pipelines for the mutation check: each loses CORS on one error path the
 * way real apps do (an error answered without the headers, CORS mounted after a stage that fails).
 * They only rearrange the stage list the Tasks API mounts; product code has no test branches.
 */
import type { Stage } from '../pipeline/pipeline.js';
import type { ErrorStage } from '../pipeline/stage.js';
import { stateOf } from '../pipeline/state.js';
import { translateDbError } from '../db/errors.js';
import { toApiError } from '../pipeline/translate-error.js';

/** A named way to break one error path. */
export interface Mutant {
  readonly name: string;
  readonly arrange: (stages: Stage[]) => Stage[];
  /** false: what Node's parser refuses (400, 431) is answered without CORS too. */
  readonly parserCors?: boolean;
}

/** The statuses the HTTP server answers itself for requests Node's parser refuses (src/serve/http-server.ts). */
const PARSER_STATUSES = [400, 431];

function indexOf(stages: readonly Stage[], name: string): number {
  const at = stages.findIndex((s) => s.name === name);
  if (at < 0) throw new Error(`no stage named ${name}`);
  return at;
}

/** Errors of this status reach the formatter with every Access-Control-* header removed. */
export function stripCorsFor(status: number): Mutant {
  const strip: ErrorStage = function stripCorsStage(error, _req, res, next) {
    if (toApiError(error, translateDbError).status === status) {
      for (const name of res.getHeaderNames()) if (name.startsWith('access-control-')) res.removeHeader(name);
      // The CORS stage's headers wait in the request state until the answer is written.
      const waiting = stateOf(res)?.headers ?? [];
      const kept = waiting.filter((_, i) => !waiting[i - (i % 2)]!.toLowerCase().startsWith('access-control-'));
      waiting.splice(0, waiting.length, ...kept);
    }
    next(error);
  };
  return {
    name: `the ${status} responses lose their CORS headers`,
    parserCors: !PARSER_STATUSES.includes(status),
    arrange: (stages) => {
      const at = indexOf(stages, 'format-error');
      return [...stages.slice(0, at), { name: 'mutant', handlers: [strip] }, ...stages.slice(at)];
    },
  };
}

/** CORS is mounted after another stage, so that stage's errors (and preflights) go out without it. */
export function corsAfter(stageName: string): Mutant {
  return {
    name: `CORS is mounted after the ${stageName} stage`,
    arrange: (stages) => {
      const cors = stages[indexOf(stages, 'cors')]!;
      const rest = stages.filter((s) => s !== cors);
      const at = indexOf(rest, stageName) + 1;
      return [...rest.slice(0, at), cors, ...rest.slice(at)];
    },
  };
}
