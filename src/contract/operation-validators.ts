/**
 * Compiles every operation's validators from the spec: one for its path, query and header
 * parameters (with type coercion and defaults), one per JSON request media type, and — when
 * response validation is on — one per declared response. Ajv's code generation costs about 5 ms
 * an operation, so documents up to EAGER_LIMIT operations (and every document in strict mode)
 * compile everything at start-up, and larger ones compile each operation once, on its first
 * request, to keep start-up within budget (docs/performance.md). A schema that cannot compile
 * fails start-up in strict mode (the Tasks API, `npm run mock -- --strict`); otherwise that one
 * check is skipped with one warning naming the operation, the location and the reason.
 * A live reload compiles `deferred`, in slices (prepare()), and an operation whose schemas did not
 * change reuses the functions compiled before (src/contract/validator-reuse.ts).
 */
import { compileParameters, type ParameterValidators } from './parameter-validators.js';
import { compileRequestBody, type RequestBodyValidators } from './request-body-validators.js';
import { compileResponses, type ResponseValidators } from './response-validators.js';
import type { Contract, OperationInfo } from './spec.js';
import { validatorCompiler, type CompileOptions } from './validator-compiler.js';

export type { ParamLocation } from './parameter-validators.js';
export type { CompileOptions, SkippedCheck } from './validator-compiler.js';

/** What the validate stage and the response check need for one operation. */
export interface OperationValidators extends ParameterValidators {
  readonly requestBody: RequestBodyValidators | undefined;
  /** Declared responses by status key ('200', '4XX', 'default'); undefined when not checked. */
  readonly responses: ResponseValidators | undefined;
}

/** Above this many operations, validators compile on each operation's first request (except in strict mode). */
export const EAGER_LIMIT = 300;

/** The validators of every operation, by operationId. */
export interface ValidatorSet {
  get(operationId: string): OperationValidators;
  /**
   * Compiles, when the set was made `deferred`, what would otherwise have been compiled at once —
   * one operation per event-loop turn, so requests waiting are served in between; rejects as the
   * eager compile would have thrown. Resolves at once otherwise.
   */
  prepare(): Promise<void>;
}

/** One event-loop turn: what is waiting (incoming requests) runs first. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Compiles the validators (all now, or each on first use for large documents). */
export function compileOperationValidators(contract: Contract, options: CompileOptions): ValidatorSet {
  const compiler = validatorCompiler(contract, options);
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const compiled = new Map<string, OperationValidators>();
  const compileOne = (op: OperationInfo): OperationValidators => ({
    ...compileParameters(compiler, op, contract.document),
    requestBody: compileRequestBody(compiler, op),
    responses: options.responses ? compileResponses(compiler, op) : undefined,
  });
  const eager = options.strict !== false || contract.operations.length <= EAGER_LIMIT;
  let prepared: Promise<void> | undefined;
  const inSlices = async () => {
    for (const op of contract.operations) {
      await turn();
      set.get(op.operationId);
    }
    compiler.settle();
  };
  const set: ValidatorSet = {
    prepare: () => (prepared ??= options.deferred && eager ? inSlices() : Promise.resolve()),
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
  if (eager && options.deferred) return set;
  if (eager) {
    for (const op of contract.operations) set.get(op.operationId);
    compiler.settle();
  }
  // A large document registers its schemas right after start-up, before the first request needs them.
  else setImmediate(() => {
    try {
      compiler.registered();
    } catch {
      // Reported again, with its context, by the first request that needs it.
    }
  });
  return set;
}
