/** Turns Ajv errors into the Error schema's ValidationIssue list, sorted for stable output. */
import type { ErrorObject } from 'ajv';
import { pointerSegment } from '../contract/ajv.js';
import type { ValidationIssue } from '../errors.js';
import { NUL_MESSAGE } from './nul-characters.js';

const LOCATION_ORDER: Record<ValidationIssue['location'], number> = { path: 0, query: 1, header: 2, body: 3 };

function messageOf(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  if (error.keyword === 'enum' && allowed) return `${error.message}: ${allowed.join(', ')}`;
  return error.message ?? 'is invalid';
}

/** The JSON pointer an error is about, including a missing or extra property's name. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string; unevaluatedProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
  return extra === undefined ? error.instancePath : `${error.instancePath}/${extra}`;
}

/**
 * Issues for parameter errors and for the paths of parameters holding U+0000: data was
 * `{path, query, header}`, so the first segment is the location.
 */
export function parameterIssues(errors: readonly ErrorObject[], nulPaths: readonly string[][] = []): ValidationIssue[] {
  return sortIssues([
    ...errors.map((error) => {
      const [, location = 'query', ...rest] = pointerOf(error).split('/');
      const unknown = error.keyword === 'additionalProperties' && location === 'query';
      return {
        location: location as ValidationIssue['location'],
        path: rest.join('/').replace(/~1/g, '/').replace(/~0/g, '~'),
        message: unknown ? 'is not a declared query parameter' : messageOf(error),
      };
    }),
    ...nulPaths.map(([location = 'query', ...rest]) => ({ location: location as ValidationIssue['location'], path: rest.join('/'), message: NUL_MESSAGE })),
  ]);
}

/** Issues for body errors and for the paths of body strings holding U+0000; paths are JSON pointers. */
export function bodyIssues(errors: readonly ErrorObject[], nulPaths: readonly string[][] = []): ValidationIssue[] {
  return sortIssues([
    ...errors.map((error) => ({ location: 'body' as const, path: pointerOf(error), message: messageOf(error) })),
    ...nulPaths.map((segments) => ({ location: 'body' as const, path: segments.map((s) => `/${pointerSegment(s)}`).join(''), message: NUL_MESSAGE })),
  ]);
}

function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.location}\u0000${i.path}\u0000${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => LOCATION_ORDER[a.location] - LOCATION_ORDER[b.location] || compare(a.path, b.path) || compare(a.message, b.message));
}

/** Code-unit order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
