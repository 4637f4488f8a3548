/**
 * The shape of an OpenAPI Overlay 1.0.x document (https://spec.openapis.org/overlay/v1.0.0.html):
 * `overlay: 1.0.x`, `actions[]` each with a JSONPath `target` and `update` or `remove: true`.
 * `info` and `extends` are not checked: specgate applies the overlay to the document it is given.
 */
import { DocumentLoadError } from './fetch-text.js';

/** One action: the nodes `target` selects get `update` merged in, or are removed. */
export interface OverlayAction {
  readonly target: string;
  readonly description?: string;
  readonly update?: unknown;
  readonly remove?: boolean;
}

/** A checked Overlay 1.0.x document. */
export interface Overlay {
  readonly overlay: string;
  readonly actions: readonly OverlayAction[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The overlay, or a DocumentLoadError with one line saying what is wrong with it and where. */
export function checkedOverlay(parsed: unknown, name: string): Overlay {
  const refuse = (problem: string): never => {
    throw new DocumentLoadError(`${name}: ${problem}`);
  };
  if (!isObject(parsed)) return refuse('is not an Overlay document (not an object)');
  if (typeof parsed.overlay !== 'string' || !/^1\.0\.\d+$/.test(parsed.overlay)) {
    return refuse(`is not an Overlay 1.0.x document (overlay: ${JSON.stringify(parsed.overlay ?? null)})`);
  }
  const { actions } = parsed;
  if (!Array.isArray(actions) || actions.length === 0) return refuse('has no actions (actions must be a non-empty list)');
  actions.forEach((action: unknown, index) => {
    const where = `action ${index + 1}`;
    if (!isObject(action)) return refuse(`${where} is not an object`);
    if (action.target === undefined) return refuse(`${where} has no target`);
    if (typeof action.target !== 'string' || !action.target.startsWith('$')) return refuse(`${where}: target must be a JSONPath expression starting with $ (got ${JSON.stringify(action.target)})`);
    if (action.remove !== undefined && typeof action.remove !== 'boolean') return refuse(`${where} (${action.target}): remove must be true or false`);
    if (action.remove !== true && action.update === undefined) return refuse(`${where} (${action.target}) has neither update nor remove: true`);
  });
  return parsed as unknown as Overlay;
}
