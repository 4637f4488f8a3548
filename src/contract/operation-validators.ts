/**
 * Compiles every operation's validators from the spec: one for its path, query and header
 * parameters (with type coercion and defaults), one per JSON request media type — both bounded
 * (src/contract/bounded-validator.ts) — and — when
 * response validation is on — one per declared response. Ajv's code generation costs about 5 ms
 * an operation, so documents up to EAGER_LIMIT operations compile everything at start-up (a bad
 * schema fails start-up), and larger ones (GitHub's 1,223) compile each operation once, on its
 * first request, to keep start-up within budget (docs/performance.md).
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, pointerSegment, SPEC_ID } from './ajv.js';
import { boundedCompiler, type BoundedValidator } from './bounded-validator.js';
import { schemaDocument } from './openapi30.js';
import type { Contract, OpenApiDocument, OperationInfo } from './spec.js';

/** Which part of the request a parameter lives in, as the Error schema names it. */
export type ParamLocation = 'path' | 'query' | 'header';

/** What the validate stage and the response check need for one operation. */
export interface OperationValidators {
  /** Validates `{path, query, header}`, coercing and defaulting in place. */
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

const IN_TO_LOCATION: Record<string, ParamLocation> = { path: 'path', query: 'query', header: 'header' };
const isJson = (mediaType: string) => /^application\/(.+\+)?json$/.test(mediaType) || mediaType === '*/*';

/** Follows `$ref`s inside the document; returns the target and the JSON pointer where it lives. */
function follow(doc: OpenApiDocument, value: any, pointer: string): { value: any; pointer: string } {
  let current = { value, pointer };
  for (let hops = 0; current.value?.$ref && hops < 20; hops++) {
    const ref: string = current.value.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported (found ${ref} at ${current.pointer})`);
    const target = ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((o: any, k) => o?.[k], doc);
    if (target === undefined) throw new Error(`Unresolvable $ref ${ref} at ${current.pointer}`);
    current = { value: target, pointer: ref.slice(1) };
  }
  return current;
}

function operationPointer(op: OperationInfo) {
  return `/paths/${pointerSegment(op.path)}/${op.method}`;
}

function parameterSchema(doc: OpenApiDocument, op: OperationInfo) {
  const pathItemPointer = `/paths/${pointerSegment(op.path)}`;
  const byKey = new Map<string, { name: string; location: ParamLocation; required: boolean; pointer: string; schema: any }>();
  const collect = (list: any[] | undefined, base: string) =>
    (list ?? []).forEach((raw, i) => {
      const { value, pointer } = follow(doc, raw, `${base}/parameters/${i}`);
      const location = IN_TO_LOCATION[value.in];
      if (!location) return;
      const name = location === 'header' ? String(value.name).toLowerCase() : String(value.name);
      const required = value.required === true || location === 'path';
      const schema = value.schema === undefined ? undefined : follow(doc, value.schema, `${pointer}/schema`).value;
      byKey.set(`${location}:${name}`, { name, location, required, pointer, schema });
    });
  collect(doc.paths[op.path].parameters, pathItemPointer);
  collect(doc.paths[op.path][op.method].parameters, operationPointer(op));
  const part = (location: ParamLocation) => {
    const params = [...byKey.values()].filter((p) => p.location === location);
    return {
      type: 'object',
      // Ajv fills in a default only when it sits beside the ref, not behind it.
      properties: Object.fromEntries(
        params.map((p) => [
          p.name,
          p.schema === undefined ? {} : { $ref: `${SPEC_ID}#${p.pointer}/schema`, ...(p.schema.default === undefined ? {} : { default: p.schema.default }) },
        ]),
      ),
      required: params.filter((p) => p.required).map((p) => p.name),
      additionalProperties: location !== 'query',
    };
  };
  const headerNames = [...byKey.values()].filter((p) => p.location === 'header').map((p) => p.name);
  return { schema: { type: 'object', properties: { path: part('path'), query: part('query'), header: part('header') } }, headerNames };
}

/** Above this many operations, validators compile on each operation's first request. */
export const EAGER_LIMIT = 300;

/** The validators of every operation, by operationId. */
export interface ValidatorSet {
  get(operationId: string): OperationValidators;
}

/** Compiles the validators (all now, or each on first use for large documents). */
export function compileOperationValidators(contract: Contract, options: { responses: boolean }): ValidatorSet {
  const doc = schemaDocument(contract.document);
  // Requests: bounded validators (src/contract/bounded-validator.ts). Responses are ours: every
  // violation is listed.
  const requests = (coerce: boolean) => boundedCompiler((options) => createAjv(doc, { coerce, ...options }));
  const parameterValidator = requests(true);
  const bodyValidator = requests(false);
  const strict = options.responses ? createAjv(doc, { coerce: false }) : undefined;
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const compiled = new Map<string, OperationValidators>();
  const compileOne = (op: OperationInfo): OperationValidators => {
    const where = operationPointer(op);
    const operation = doc.paths[op.path][op.method];
    const { schema, headerNames } = parameterSchema(doc, op);
    let requestBody: OperationValidators['requestBody'];
    if (operation.requestBody) {
      const { value: body, pointer } = follow(doc, operation.requestBody, `${where}/requestBody`);
      const media = new Map<string, BoundedValidator | undefined>();
      for (const [type, content] of Object.entries<any>(body.content ?? {})) {
        const schemaRef = `${SPEC_ID}#${pointer}/content/${pointerSegment(type)}/schema`;
        media.set(type.toLowerCase(), isJson(type) && content?.schema ? bodyValidator({ $ref: schemaRef }) : undefined);
      }
      requestBody = { required: body.required === true, media };
    }
    let responses: OperationValidators['responses'];
    if (strict) {
      const map = new Map<string, { json: ValidateFunction | undefined; hasContent: boolean }>();
      for (const [status, raw] of Object.entries<any>(operation.responses ?? {})) {
        const { value, pointer } = follow(doc, raw, `${where}/responses/${status}`);
        const jsonType = Object.keys(value.content ?? {}).find(isJson);
        const json = jsonType && value.content[jsonType].schema
          ? strict.compile({ $ref: `${SPEC_ID}#${pointer}/content/${pointerSegment(jsonType)}/schema` })
          : undefined;
        map.set(status.toUpperCase(), { json, hasContent: Object.keys(value.content ?? {}).length > 0 });
      }
      responses = map;
    }
    return { parameters: parameterValidator(schema), headerNames, requestBody, responses };
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
  if (contract.operations.length <= EAGER_LIMIT) for (const op of contract.operations) set.get(op.operationId);
  return set;
}
