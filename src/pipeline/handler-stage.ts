/**
 * The handlers as a last stage: one function per operationId, called by the dispatch stage with
 * the validated input (src/pipeline/dispatch.ts). Used by the Tasks API and the mock.
 */
import { compileSerializers } from '../contract/serializers.js';
import { dispatch, type AnyHandler } from './dispatch.js';
import type { LastStageFactory } from './last-stage.js';

/** Options of a handler stage. */
export interface HandlerStageOptions<C extends object> {
  /** What every handler receives besides its input (the database, the published documents …). */
  readonly context: C;
  /** Wraps the handler map once the contract is known (metrics counting replays). */
  readonly wrap?: (handlers: Readonly<Record<string, AnyHandler<C>>>) => Readonly<Record<string, AnyHandler<C>>>;
}

/** A last stage answering every operationId of `handlers`; a handler for an operation the contract lacks stops the start. */
export function handlerStage<C extends object>(handlers: Readonly<Record<string, AnyHandler<C>>>, { context, wrap }: HandlerStageOptions<C>): LastStageFactory {
  return ({ contract, validators }) => {
    const declared = new Set(contract.operations.map((op) => op.operationId));
    const extra = Object.keys(handlers).filter((id) => !declared.has(id));
    if (extra.length > 0) throw new Error(`Handlers do not match the contract: handler(s) for operationId(s) not in the spec: ${extra.join(', ')}`);
    const answered = wrap ? wrap(handlers) : handlers;
    return { name: 'handlers', answers: new Set(Object.keys(handlers)), stage: dispatch(answered, validators, compileSerializers(contract), context) };
  };
}
