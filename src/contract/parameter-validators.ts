/**
 * The parameter check of an operation: its path, query and header parameters (path item and
 * operation, the operation's winning) as one schema, with the text-to-type conversion and defaults
 * of parameter-text.ts; a parameter whose schema cannot compile is skipped on its own.
 */
import type { ValidateFunction } from 'ajv';
import { pointerSegment, SPEC_ID } from './ajv.js';
import { bounded, type BoundedValidator } from './bounded-validator.js';
import { IGNORED_HEADERS, parameterRule, ruleMatters, withParameterText, type ParameterRule } from './parameter-text.js';
import { followRefsStrictly } from './refs.js';
import type { OpenApiDocument, OperationInfo } from './spec.js';
import { operationPointer, type ValidatorCompiler } from './validator-compiler.js';

/** Which part of the request a parameter lives in, as the Error schema names it. */
export type ParamLocation = 'path' | 'query' | 'header';

/** An operation's parameter validator and the header names it declares. */
export interface ParameterValidators {
  /** Validates `{path, query, header}`, converting parameter text and filling defaults in place; bounded. */
  readonly parameters: BoundedValidator;
  /** Lower-cased names of the declared header parameters. */
  readonly headerNames: readonly string[];
}

const IN_TO_LOCATION: Record<string, ParamLocation> = { path: 'path', query: 'query', header: 'header' };

interface Param {
  name: string;
  location: ParamLocation;
  required: boolean;
  pointer: string;
  /** The schema with its `$ref`s followed. */
  schema: any;
  /** The schema as written, when it refers to nothing and can be compiled where it stands (see selfContained). */
  inline: object | undefined;
  /** OpenAPI `explode` (form style, the query's default: true). */
  explode: boolean;
}

/** Keywords that make a schema depend on where it lives in the document. */
const LOCATED = /"\$(?:ref|id|anchor|dynamicRef|dynamicAnchor|recursiveRef|recursiveAnchor|schema)"/;

/** The schema itself when it refers to nothing (no `$ref`, no `$id`…), so compiling it inline equals compiling it in place. */
function selfContained(schema: unknown): object | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  try {
    return LOCATED.test(JSON.stringify(schema)) ? undefined : schema;
  } catch {
    return undefined;
  }
}

function collectParameters(doc: OpenApiDocument, op: OperationInfo): Param[] {
  const byKey = new Map<string, Param>();
  const collect = (list: any[] | undefined, base: string) =>
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const { value, pointer } = followRefsStrictly(doc, raw, `${base}/parameters/${i}`);
      const location = IN_TO_LOCATION[value?.in];
      if (!location) return;
      const name = location === 'header' ? String(value.name).toLowerCase() : String(value.name);
      // OpenAPI: a header parameter named Accept, Content-Type or Authorization "SHALL be ignored".
      if (location === 'header' && IGNORED_HEADERS.has(name)) return;
      const required = value.required === true || location === 'path';
      const schema = value.schema === undefined ? undefined : followRefsStrictly(doc, value.schema, `${pointer}/schema`).value;
      const explode = value.explode ?? (value.style === undefined || value.style === 'form');
      byKey.set(`${location}:${name}`, { name, location, required, pointer, schema, inline: selfContained(value.schema), explode });
    });
  collect(doc.paths[op.path].parameters, `/paths/${pointerSegment(op.path)}`);
  collect(doc.paths[op.path][op.method].parameters, operationPointer(op));
  return [...byKey.values()];
}

/**
 * Query parameters that carry a credential of the operation's security, declared by the scheme
 * rather than as parameters: an apiKey's, and `access_token` on a WebSocket path of the original
 * document (a browser cannot set Authorization on an upgrade; src/auth/bearer.ts).
 */
function apiKeyQueryNames(doc: OpenApiDocument, op: OperationInfo, original: OpenApiDocument): string[] {
  const schemes = doc.components?.securitySchemes ?? {};
  const names = op.security.flatMap((requirement) => Object.keys(requirement)).map((name) => schemes[name]);
  const keys = names.filter((s) => s?.type === 'apiKey' && s.in === 'query' && typeof s.name === 'string').map((s) => s.name as string);
  return original.paths[op.path]?.['x-specgate-websocket'] === true ? [...keys, 'access_token'] : keys;
}

function parameterSchema(params: readonly Param[], included: (p: Param) => boolean, apiKeys: readonly string[]) {
  const part = (location: ParamLocation) => {
    const here = params.filter((p) => p.location === location);
    return {
      type: 'object',
      properties: Object.fromEntries(
        [...(location === 'query' ? apiKeys.map((name) => [name, {}]) : []), ...here.map((p) => [
          p.name,
          p.schema === undefined || !included(p) ? {} : (p.inline ?? { $ref: `${SPEC_ID}#${p.pointer}/schema` }),
        ])],
      ),
      required: here.filter((p) => p.required).map((p) => p.name),
      additionalProperties: location !== 'query',
    };
  };
  return { type: 'object', properties: { path: part('path'), query: part('query'), header: part('header') } };
}

function parameterRules(doc: OpenApiDocument, params: readonly Param[]): ParameterRule[] {
  const resolve = (schema: any) => followRefsStrictly(doc, schema, '(parameter schema)').value;
  return params
    .filter((p) => p.schema !== undefined)
    .map((p) => parameterRule(p.location, p.name, p.schema, resolve, p.explode))
    .filter(ruleMatters);
}

/** Compiles the parameter check of `op` (`original`: the document as loaded); a parameter that cannot compile is skipped (or refused, in strict mode). */
export function compileParameters(compiler: ValidatorCompiler, op: OperationInfo, original: OpenApiDocument): ParameterValidators {
  const { ajv, document: doc } = compiler.registered();
  let params: Param[] = [];
  try {
    params = collectParameters(doc, op);
  } catch (error) {
    compiler.skip(op.operationId, `${operationPointer(op)}/parameters`, error);
  }
  const apiKeys = apiKeyQueryNames(doc, op, original);
  let validate: ValidateFunction;
  try {
    validate = compiler.compileShared(parameterSchema(params, () => true, apiKeys));
  } catch {
    // Find the parameters whose schemas fail on their own, skip those, keep the rest.
    const broken = new Set<Param>();
    for (const p of params) {
      if (p.schema === undefined) continue;
      try {
        ajv.compile({ $ref: `${SPEC_ID}#${p.pointer}/schema` });
      } catch (error) {
        broken.add(p);
        compiler.skip(op.operationId, `${p.pointer}/schema`, error);
      }
    }
    validate = compiler.compile(op.operationId, `${operationPointer(op)}/parameters`, () => compiler.compileShared(parameterSchema(params, (p) => !broken.has(p), apiKeys)));
  }
  let rules: ParameterRule[] = [];
  try {
    rules = parameterRules(doc, params);
  } catch {
    // A parameter whose items cannot be followed keeps Ajv's checks only.
  }
  return { parameters: bounded(withParameterText(validate, rules)), headerNames: params.filter((p) => p.location === 'header').map((p) => p.name) };
}
