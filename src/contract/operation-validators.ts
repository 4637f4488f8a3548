/**
 * Compiles, once at start-up, every operation's validators from the spec: one for its path,
 * query and header parameters (with type coercion and defaults), one per JSON request media
 * type, and — when response validation is on — one per declared response.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, pointerSegment, SPEC_ID } from './ajv.js';
import type { Contract, OpenApiDocument, OperationInfo } from './spec.js';

/** Which part of the request a parameter lives in, as the Error schema names it. */
export type ParamLocation = 'path' | 'query' | 'header';

/** What the validate stage and the response check need for one operation. */
export interface OperationValidators {
  readonly parameters: ValidateFunction;
  /** Lower-cased names of the declared header parameters. */
  readonly headerNames: readonly string[];
  readonly requestBody: {
    readonly required: boolean;
    /** Declared media types, each with a validator when it is JSON. */
    readonly media: ReadonlyMap<string, ValidateFunction | undefined>;
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
  const byKey = new Map<string, { name: string; location: ParamLocation; required: boolean; pointer: string; hasSchema: boolean }>();
  const collect = (list: any[] | undefined, base: string) =>
    (list ?? []).forEach((raw, i) => {
      const { value, pointer } = follow(doc, raw, `${base}/parameters/${i}`);
      const location = IN_TO_LOCATION[value.in];
      if (!location) return;
      const name = location === 'header' ? String(value.name).toLowerCase() : String(value.name);
      const required = value.required === true || location === 'path';
      byKey.set(`${location}:${name}`, { name, location, required, pointer, hasSchema: Boolean(value.schema) });
    });
  collect(doc.paths[op.path].parameters, pathItemPointer);
  collect(doc.paths[op.path][op.method].parameters, operationPointer(op));
  const part = (location: ParamLocation) => {
    const params = [...byKey.values()].filter((p) => p.location === location);
    return {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, p.hasSchema ? { $ref: `${SPEC_ID}#${p.pointer}/schema` } : {}])),
      required: params.filter((p) => p.required).map((p) => p.name),
      additionalProperties: location !== 'query',
    };
  };
  const headerNames = [...byKey.values()].filter((p) => p.location === 'header').map((p) => p.name);
  return { schema: { type: 'object', properties: { path: part('path'), query: part('query'), header: part('header') } }, headerNames };
}

/** Compiles the validators of every operation; fails at start-up on a schema Ajv cannot compile. */
export function compileOperationValidators(contract: Contract, options: { responses: boolean }): ReadonlyMap<string, OperationValidators> {
  const doc = contract.document;
  const coercing = createAjv(doc, { coerce: true });
  const strict = createAjv(doc, { coerce: false });
  const compiled = new Map<string, OperationValidators>();
  for (const op of contract.operations) {
    const where = operationPointer(op);
    const operation = doc.paths[op.path][op.method];
    const { schema, headerNames } = parameterSchema(doc, op);
    let requestBody: OperationValidators['requestBody'];
    if (operation.requestBody) {
      const { value: body, pointer } = follow(doc, operation.requestBody, `${where}/requestBody`);
      const media = new Map<string, ValidateFunction | undefined>();
      for (const [type, content] of Object.entries<any>(body.content ?? {})) {
        const schemaRef = `${SPEC_ID}#${pointer}/content/${pointerSegment(type)}/schema`;
        media.set(type.toLowerCase(), isJson(type) && content?.schema ? strict.compile({ $ref: schemaRef }) : undefined);
      }
      requestBody = { required: body.required === true, media };
    }
    let responses: OperationValidators['responses'];
    if (options.responses) {
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
    compiled.set(op.operationId, { parameters: coercing.compile(schema), headerNames, requestBody, responses });
  }
  return compiled;
}
