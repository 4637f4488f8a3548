/**
 * Compiles every operation's validators from the spec: one for its path, query and header
 * parameters (with type coercion and defaults), one per JSON request media type, and — when
 * response validation is on — one per declared response. Ajv's code generation costs about 5 ms
 * an operation, so documents up to EAGER_LIMIT operations (and every document in strict mode)
 * compile everything at start-up, and larger ones compile each operation once, on its first
 * request, to keep start-up within budget (docs/performance.md). A schema that cannot compile
 * fails start-up in strict mode (the Tasks API, `npm run mock -- --strict`); otherwise that one
 * check is skipped with one warning naming the operation, the location and the reason.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, pointerSegment, SPEC_ID } from './ajv.js';
import { bounded, mayDiscardErrors, unthrowing, type BoundedValidator } from './bounded-validator.js';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.js';
import { scalarOf, isArraySchema, withParameterText, type ParameterRule } from './parameter-text.js';
import { pointerTarget, type Contract, type OpenApiDocument, type OperationInfo } from './spec.js';

/** Which part of the request a parameter lives in, as the Error schema names it. */
export type ParamLocation = 'path' | 'query' | 'header';

/** What the validate stage and the response check need for one operation. */
export interface OperationValidators {
  /** Validates `{path, query, header}`, converting parameter text and filling defaults in place; bounded. */
  readonly parameters: BoundedValidator;
  /** Lower-cased names of the declared header parameters. */
  readonly headerNames: readonly string[];
  readonly requestBody: {
    readonly required: boolean;
    /** Declared media types, each with a validator when it is JSON. */
    readonly media: ReadonlyMap<string, BoundedValidator | undefined>;
  } | undefined;
  /** Declared responses by status key ('200', '4XX', 'default'); undefined when not checked. */
  readonly responses: ReadonlyMap<string, { json: ValidateFunction | undefined; hasContent: boolean }> | undefined;
}

/** A check left out because its schema could not be compiled. */
export interface SkippedCheck {
  readonly operationId: string;
  /** JSON pointer of the schema in the document. */
  readonly location: string;
  readonly reason: string;
}

/** How validators are compiled. */
export interface CompileOptions {
  readonly responses: boolean;
  /** Refuse to start on a schema that cannot compile (the default); otherwise skip it and warn. */
  readonly strict?: boolean;
  /** Receives each skipped check (non-strict mode); once per check. */
  readonly onSkip?: (skipped: SkippedCheck) => void;
}

const IN_TO_LOCATION: Record<string, ParamLocation> = { path: 'path', query: 'query', header: 'header' };
const isJson = (mediaType: string) => /^application\/(.+\+)?json$/.test(mediaType) || mediaType === '*/*';
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

/** Accepts anything: what a skipped check validates with. */
const acceptAll = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

/** Follows `$ref`s inside the document; returns the target and the JSON pointer where it lives. */
function follow(doc: OpenApiDocument, value: any, pointer: string): { value: any; pointer: string } {
  let current = { value, pointer };
  for (let hops = 0; typeof current.value?.$ref === 'string' && hops < 20; hops++) {
    const ref: string = current.value.$ref;
    if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported (found ${ref} at ${current.pointer})`);
    const target = pointerTarget(doc, ref);
    if (target === undefined) throw new Error(`Unresolvable $ref ${ref} at ${current.pointer}`);
    current = { value: target, pointer: ref.slice(1) };
  }
  return current;
}

/**
 * Where a schema really lives: through every schema that is nothing but a local `$ref`, so that
 * operations referring to one component compile it once (a `$ref` with siblings stays put).
 */
function canonicalPointer(doc: OpenApiDocument, schema: any, pointer: string): string {
  for (let hops = 0; hops < 20; hops++) {
    const ref = schema?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || Object.keys(schema).length !== 1) return pointer;
    const target = pointerTarget(doc, ref);
    if (target === undefined) return pointer;
    schema = target;
    pointer = ref.slice(1);
  }
  return pointer;
}

function operationPointer(op: OperationInfo) {
  return `/paths/${pointerSegment(op.path)}/${op.method}`;
}

/** A readable JSON pointer (percent-decoded) for messages. */
const readable = (pointer: string) => {
  try {
    return decodeURIComponent(pointer);
  } catch {
    return pointer;
  }
};

interface Param {
  name: string;
  location: ParamLocation;
  required: boolean;
  pointer: string;
  /** The schema with its `$ref`s followed. */
  schema: any;
  /** The schema as written, when it refers to nothing and can be compiled where it stands (see selfContained). */
  inline: object | undefined;
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
      const { value, pointer } = follow(doc, raw, `${base}/parameters/${i}`);
      const location = IN_TO_LOCATION[value?.in];
      if (!location) return;
      const name = location === 'header' ? String(value.name).toLowerCase() : String(value.name);
      const required = value.required === true || location === 'path';
      const schema = value.schema === undefined ? undefined : follow(doc, value.schema, `${pointer}/schema`).value;
      byKey.set(`${location}:${name}`, { name, location, required, pointer, schema, inline: selfContained(value.schema) });
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
  return params
    .filter((p) => p.schema !== undefined)
    .map((p) => {
      const array = isArraySchema(p.schema);
      const scalar = array ? follow(doc, p.schema.items, `${p.pointer}/schema/items`).value : p.schema;
      return { location: p.location, name: p.name, scalar: scalarOf(scalar), array, default: p.schema.default };
    })
    .filter((rule) => rule.scalar !== undefined || rule.array || rule.default !== undefined);
}

/** Above this many operations, validators compile on each operation's first request (except in strict mode). */
export const EAGER_LIMIT = 300;

/** The validators of every operation, by operationId. */
export interface ValidatorSet {
  get(operationId: string): OperationValidators;
}

/** Compiles the validators (all now, or each on first use for large documents). */
export function compileOperationValidators(contract: Contract, options: CompileOptions): ValidatorSet {
  const strict = options.strict !== false;
  const skip = (operationId: string, location: string, error: unknown) => {
    const reason = reasonOf(error);
    if (strict) throw new Error(`Cannot compile the schema of ${operationId} at ${readable(location) || '/'}: ${reason}`);
    options.onSkip?.({ operationId, location: readable(location) || '/', reason });
  };
  let registry: SchemaRegistry | undefined;
  const registered = (): SchemaRegistry => {
    if (registry) return registry;
    try {
      registry = schemaRegistry(contract.document);
    } catch (error) {
      if (strict) throw new Error(`The document's schemas cannot be registered: ${reasonOf(error)}`);
      // Every check then fails to compile and is skipped, each with its warning.
      options.onSkip?.({ operationId: '(document)', location: '/', reason: reasonOf(error) });
      registry = { ajv: createAjv({ openapi: contract.document.openapi }, { bounded: true }), document: contract.document };
      return registry;
    }
    if (registry.droppedIds !== undefined) {
      if (strict) throw new Error(`The document's schemas cannot be registered: ${registry.droppedIds}`);
      options.onSkip?.({ operationId: '(document)', location: '/', reason: `${registry.droppedIds}; every $id is ignored` });
    }
    return registry;
  };
  /** Compiles one check, or skips it (non-strict) with its warning. */
  const compile = (operationId: string, location: string, build: () => ValidateFunction): ValidateFunction => {
    try {
      return build();
    } catch (error) {
      skip(operationId, location, error);
      return acceptAll;
    }
  };
  // Operations that declare the same schema share one compiled function: GitHub's `owner` and
  // `repo` parameters, a component every response refers to, a generated spec's every `{id}`.
  const shared = new Map<string, ValidateFunction>();
  const compileShared = (schema: object): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = shared.get(key);
    if (validate === undefined) shared.set(key, (validate = registered().ajv.compile(schema)));
    return validate;
  };
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const compiled = new Map<string, OperationValidators>();
  // A request body's validation cut short at CHECK_LIMIT is decided again by a first-error
  // validator, but only in documents where a branch can discard errors (made when first needed).
  let firstErrorAjv: ReturnType<typeof createAjv> | undefined;
  let discards: boolean | undefined;
  const recheck = (ref: string) => () => {
    discards ??= mayDiscardErrors(JSON.stringify(registered().document));
    if (!discards) return undefined;
    try {
      return (firstErrorAjv ??= createAjv(registered().document, { allErrors: false })).compile({ $ref: ref });
    } catch {
      return undefined;
    }
  };

  const compileParameters = (op: OperationInfo) => {
    const { ajv, document: doc } = registered();
    let params: Param[] = [];
    try {
      params = collectParameters(doc, op);
    } catch (error) {
      skip(op.operationId, `${operationPointer(op)}/parameters`, error);
    }
    const apiKeys = apiKeyQueryNames(doc, op, contract.document);
    let validate: ValidateFunction;
    try {
      validate = compileShared(parameterSchema(params, () => true, apiKeys));
    } catch {
      // Find the parameters whose schemas fail on their own, skip those, keep the rest.
      const broken = new Set<Param>();
      for (const p of params) {
        if (p.schema === undefined) continue;
        try {
          ajv.compile({ $ref: `${SPEC_ID}#${p.pointer}/schema` });
        } catch (error) {
          broken.add(p);
          skip(op.operationId, `${p.pointer}/schema`, error);
        }
      }
      validate = compile(op.operationId, `${operationPointer(op)}/parameters`, () => compileShared(parameterSchema(params, (p) => !broken.has(p), apiKeys)));
    }
    let rules: ParameterRule[] = [];
    try {
      rules = parameterRules(doc, params);
    } catch {
      // A parameter whose items cannot be followed keeps Ajv's checks only.
    }
    return { parameters: bounded(withParameterText(validate, rules)), headerNames: params.filter((p) => p.location === 'header').map((p) => p.name) };
  };

  const compileOne = (op: OperationInfo): OperationValidators => {
    const { document: doc } = registered();
    const where = operationPointer(op);
    const operation = doc.paths[op.path][op.method];
    const { parameters, headerNames } = compileParameters(op);
    let requestBody: OperationValidators['requestBody'];
    if (operation.requestBody) {
      try {
        const { value: body, pointer } = follow(doc, operation.requestBody, `${where}/requestBody`);
        const media = new Map<string, BoundedValidator | undefined>();
        for (const [type, content] of Object.entries<any>(body.content ?? {})) {
          const location = `${pointer}/content/${pointerSegment(type)}/schema`;
          const ref = `${SPEC_ID}#${canonicalPointer(doc, content?.schema, location)}`;
          media.set(type.toLowerCase(), isJson(type) && content?.schema ? bounded(compile(op.operationId, location, () => compileShared({ $ref: ref })), recheck(ref)) : undefined);
        }
        requestBody = { required: body.required === true, media };
      } catch (error) {
        skip(op.operationId, `${where}/requestBody`, error);
      }
    }
    let responses: OperationValidators['responses'];
    if (options.responses) {
      const map = new Map<string, { json: ValidateFunction | undefined; hasContent: boolean }>();
      for (const [status, raw] of Object.entries<any>(operation.responses ?? {})) {
        try {
          const { value, pointer } = follow(doc, raw, `${where}/responses/${status}`);
          const jsonType = Object.keys(value.content ?? {}).find(isJson);
          const location = jsonType ? `${pointer}/content/${pointerSegment(jsonType)}/schema` : '';
          const schema = jsonType ? value.content[jsonType].schema : undefined;
          const json = schema ? unthrowing(compile(op.operationId, location, () => compileShared({ $ref: `${SPEC_ID}#${canonicalPointer(doc, schema, location)}` }))) : undefined;
          map.set(status.toUpperCase(), { json, hasContent: Object.keys(value.content ?? {}).length > 0 });
        } catch (error) {
          skip(op.operationId, `${where}/responses/${status}`, error);
        }
      }
      responses = map;
    }
    return { parameters, headerNames, requestBody, responses };
  };
  const set: ValidatorSet = {
    get(operationId) {
      let validators = compiled.get(operationId);
      if (!validators) {
        const op = byId.get(operationId);
        if (!op) throw new Error(`No operation ${operationId} in the contract`);
        validators = compileOne(op);
        compiled.set(operationId, validators);
      }
      return validators;
    },
  };
  if (strict || contract.operations.length <= EAGER_LIMIT) for (const op of contract.operations) set.get(op.operationId);
  // A large document registers its schemas right after start-up, before the first request needs them.
  else setImmediate(() => {
    try {
      registered();
    } catch {
      // Reported again, with its context, by the first request that needs it.
    }
  });
  return set;
}
