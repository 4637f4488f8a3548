/**
 * What compiling every check of an operation shares: the schema registry (made once, on first
 * need), one compiled function per distinct schema, the first-error recheck, and the strict or
 * lenient answer to a schema that cannot compile (refuse to start, or skip it with a warning).
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, pointerSegment } from './ajv.js';
import { mayDiscardErrors } from './bounded-validator.js';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.js';
import type { Contract, OperationInfo } from './spec.js';
import { validatorReuse, type ValidatorReuse } from './validator-reuse.js';

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
  /** Compile nothing now: the set's prepare() compiles, one operation per event-loop turn (live reload). */
  readonly deferred?: boolean;
}

/** The compilation state one contract's validators share. */
export interface ValidatorCompiler {
  /** The registry of the document's schemas (Ajv with every schema added), made on first call. */
  registered(): SchemaRegistry;
  /** Reports a check that cannot compile: throws in strict mode, otherwise warns once through onSkip. */
  skip(operationId: string, location: string, error: unknown): void;
  /** Compiles one check, or skips it (non-strict) with its warning and accepts anything instead. */
  compile(operationId: string, location: string, build: () => ValidateFunction): ValidateFunction;
  /** One compiled function per distinct schema, shared by every operation that declares it. */
  compileShared(schema: object): ValidateFunction;
  /** The first-error validator of `ref`, made when first needed and only where a branch can discard errors. */
  recheck(ref: string): () => ValidateFunction | undefined;
  /** Marks the end of what is compiled before serving (see src/contract/validator-reuse.ts). */
  settle(): void;
}

/** Whether a media type is checked as JSON. */
export const isJson = (mediaType: string) => /^application\/(.+\+)?json$/.test(mediaType) || mediaType === '*/*';

/** The JSON pointer of an operation in the document. */
export const operationPointer = (op: OperationInfo) => `/paths/${pointerSegment(op.path)}/${op.method}`;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

/** Accepts anything: what a skipped check validates with. */
const acceptAll = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

/** A readable JSON pointer (percent-decoded) for messages. */
const readable = (pointer: string) => {
  try {
    return decodeURIComponent(pointer);
  } catch {
    return pointer;
  }
};

/** The shared compilation state for one contract's validators. */
export function validatorCompiler(contract: Contract, options: CompileOptions): ValidatorCompiler {
  const strict = options.strict !== false;
  const skip = (operationId: string, location: string, error: unknown) => {
    const reason = reasonOf(error);
    if (strict) throw new Error(`Cannot compile the schema of ${operationId} at ${readable(location) || '/'}: ${reason}`);
    options.onSkip?.({ operationId, location: readable(location) || '/', reason });
  };
  let registry: SchemaRegistry | undefined;
  /** Whether the schemas could not be registered (every check is then skipped, none reused). */
  let unregistered = false;
  const registered = (): SchemaRegistry => {
    if (registry) return registry;
    try {
      registry = schemaRegistry(contract.document);
    } catch (error) {
      if (strict) throw new Error(`The document's schemas cannot be registered: ${reasonOf(error)}`);
      // Every check then fails to compile and is skipped, each with its warning.
      options.onSkip?.({ operationId: '(document)', location: '/', reason: reasonOf(error) });
      registry = { ajv: createAjv({ openapi: contract.document.openapi }, { bounded: true }), document: contract.document };
      unregistered = true;
      return registry;
    }
    if (registry.droppedIds !== undefined) {
      if (strict) throw new Error(`The document's schemas cannot be registered: ${registry.droppedIds}`);
      options.onSkip?.({ operationId: '(document)', location: '/', reason: `${registry.droppedIds}; every $id is ignored` });
    }
    return registry;
  };
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
  // Across reloads, an unchanged schema keeps the function compiled by an earlier generation.
  const shared = new Map<string, ValidateFunction>();
  let reuse: ValidatorReuse | undefined;
  const reused = (): ValidatorReuse | undefined => {
    const { document, droppedIds } = registered();
    if (droppedIds !== undefined || unregistered) return undefined;
    return (reuse ??= validatorReuse(document, `openapi ${String(document.openapi)}, bounded`));
  };
  const compileShared = (schema: object): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = shared.get(key);
    if (validate === undefined) {
      const compile = () => registered().ajv.compile(schema);
      shared.set(key, (validate = reused()?.compiled(schema, compile) ?? compile()));
    }
    return validate;
  };
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
  return { registered, skip, compile, compileShared, recheck, settle: () => reuse?.settle() };
}
