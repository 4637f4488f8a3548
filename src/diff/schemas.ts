/**
 * Compares two schemas in one direction. In a request, what the server accepts must not shrink
 * (a narrowed type, format, enum or bound breaks callers); in a response, what the server sends
 * must not grow (a widened type or enum, a removed or optional property breaks readers).
 * Results are remembered per pair of referenced schemas, so a component used by a thousand
 * operations is compared once, and a reference already being compared ends a cycle.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import type { Change, CheckId } from './checks.js';
import { isRef, lastSegment, resolve, type Located } from './refs.js';
import { sameShape } from './same-shape.js';
import { BOUNDS, schemaView, typesCovered, typesText, type SchemaView } from './schema-view.js';

/** Which way values flow: sent by the client (request) or by the server (response). */
export type Direction = 'request' | 'response';

// Format changes that accept more: not narrowing in a request.
const WIDER_FORMAT: Readonly<Record<string, string>> = { int32: 'int64', float: 'double' };
const show = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** Schema changes with the place they were found in added to each message: `… (in request body application/json)`. */
export const within = (changes: readonly Change[], context: string): Change[] => changes.map((c) => ({ ...c, message: `${c.message} (in ${context})` }));

/** Compares schemas of the old and new documents; one instance per pair of documents. */
export class SchemaComparer {
  readonly #memo = new Map<string, readonly Change[]>();
  // Results cut short by a reference cycle: right only until the outermost comparison ends.
  readonly #partial = new Map<string, readonly Change[]>();
  // The references being compared, outermost first, and the shallowest one a cycle led back to.
  readonly #open: string[] = [];
  #cutAt = Infinity;

  constructor(
    private readonly before: OpenApiDocument,
    private readonly after: OpenApiDocument,
  ) {}

  /** The changes between two schemas; `where` names the value in messages (e.g. `body`). */
  compare(old: Located, neu: Located, direction: Direction, where: string): readonly Change[] {
    if (!isRef(old.node) && !isRef(neu.node)) return this.#compareSchemas(old, neu, direction, where);
    const from = resolve(this.before, old);
    const to = resolve(this.after, neu);
    const key = `${direction}\0${from.pointer}\0${to.pointer}`;
    const known = this.#memo.get(key) ?? this.#partial.get(key);
    if (known) return known;
    const open = this.#open.indexOf(key);
    if (open >= 0) {
      // A cycle: what lies beyond is being compared further up, and reported there.
      this.#cutAt = Math.min(this.#cutAt, open);
      return [];
    }
    const depth = this.#open.push(key) - 1;
    const outerCut = this.#cutAt;
    this.#cutAt = Infinity;
    // Inside a component, messages name the component, so a remembered result reads right anywhere.
    const changes = this.#compareSchemas(from, to, direction, lastSegment(isRef(neu.node) ? to.pointer : from.pointer));
    this.#open.pop();
    // Complete unless a cycle led back above this reference: then it lacks what is reported up there.
    (this.#cutAt >= depth ? this.#memo : this.#partial).set(key, changes);
    this.#cutAt = Math.min(outerCut, this.#cutAt);
    if (depth === 0) {
      this.#partial.clear();
      this.#cutAt = Infinity;
    }
    return changes;
  }

  /** Two schemas written the same way differ only in what their references name: only those are compared. */
  #compareSchemas(old: Located, neu: Located, direction: Direction, where: string): readonly Change[] {
    const refs: [unknown, unknown][] = [];
    if (!sameShape(old.node, neu.node, refs)) return this.#compareViews(old, neu, direction, where);
    const changes: Change[] = [];
    const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
    for (const [a, b] of refs) {
      const was = { node: a, pointer: old.pointer };
      const now = { node: b, pointer: neu.pointer };
      // As in #compareProperties: what the client never sends (readOnly) or never gets (writeOnly) is not compared.
      if (resolve(this.before, was).node?.[flag] === true && resolve(this.after, now).node?.[flag] === true) continue;
      changes.push(...this.compare(was, now, direction, where));
    }
    return changes;
  }

  #compareViews(old: Located, neu: Located, direction: Direction, where: string): Change[] {
    const a = schemaView(this.before, old);
    const b = schemaView(this.after, neu);
    const changes: Change[] = [];
    const add = (check: CheckId, message: string, pointers: { old?: string; new?: string } = { old: a.pointer, new: b.pointer }) =>
      changes.push({ check, message: `${where}: ${message}`, ...pointers });
    const request = direction === 'request';

    const wider = !typesCovered(b.types, a.types);
    const narrower = !typesCovered(a.types, b.types);
    const typeText = `type ${typesText(a.types)} → ${typesText(b.types)}`;
    if (request && narrower) add('request-type-narrowed', typeText);
    else if (request && wider) add('request-type-widened', typeText);
    else if (!request && wider) add('response-type-widened', typeText);
    else if (!request && narrower) add('response-type-narrowed', typeText);

    if (a.format !== b.format) {
      const formatText = `format ${a.format ?? 'none'} → ${b.format ?? 'none'}`;
      if (request && b.format !== undefined && (a.format === undefined || WIDER_FORMAT[a.format] !== b.format)) add('request-format-narrowed', formatText);
      else if (!request && a.format !== undefined) add('response-format-changed', formatText);
    }

    this.#compareEnums(a, b, request, add);
    if (request) this.#compareBounds(a, b, add);
    this.#compareProperties(a, b, direction, where, changes);
    if (a.items && b.items) changes.push(...this.compare(a.items, b.items, direction, `${where}[]`));
    if (a.additional && b.additional) changes.push(...this.compare(a.additional, b.additional, direction, `${where}{}`));
    this.#compareAlternatives(a.oneOf, b.oneOf, 'oneOf', direction, where, add, changes);
    this.#compareAlternatives(a.anyOf, b.anyOf, 'anyOf', direction, where, add, changes);
    return changes;
  }

  #compareEnums(a: SchemaView, b: SchemaView, request: boolean, add: (check: CheckId, message: string) => void) {
    if (a.enum === undefined && b.enum === undefined) return;
    const before = new Set((a.enum ?? []).map((v) => JSON.stringify(v)));
    const after = new Set((b.enum ?? []).map((v) => JSON.stringify(v)));
    const lost = (a.enum ?? []).filter((v) => !after.has(JSON.stringify(v)));
    const gained = (b.enum ?? []).filter((v) => !before.has(JSON.stringify(v)));
    if (request) {
      if (a.enum === undefined) add('request-enum-narrowed', `now an enum (${show(b.enum!)})`);
      else if (b.enum !== undefined && lost.length > 0) add('request-enum-narrowed', `enum no longer accepts ${show(lost)}`);
      else if (b.enum === undefined) add('request-enum-widened', 'no longer an enum');
      else if (gained.length > 0) add('request-enum-widened', `enum also accepts ${show(gained)}`);
    } else {
      if (b.enum === undefined) add('response-enum-widened', `no longer an enum (was ${show(a.enum!)})`);
      else if (a.enum !== undefined && gained.length > 0) add('response-enum-widened', `enum has new values ${show(gained)}`);
      else if (a.enum !== undefined && lost.length > 0) add('response-enum-narrowed', `enum lost ${show(lost)}`);
    }
  }

  #compareBounds(a: SchemaView, b: SchemaView, add: (check: CheckId, message: string) => void) {
    for (const bound of BOUNDS) {
      const was = a.bounds[bound];
      const now = b.bounds[bound];
      if (now === undefined || now === was) continue;
      const lower = bound.startsWith('max') || bound === 'exclusiveMaximum';
      const tighter =
        was === undefined ||
        (typeof was === 'number' && typeof now === 'number' ? (lower ? now < was : bound === 'multipleOf' ? now % was !== 0 : now > was) : now !== was && now !== false);
      if (tighter) add('request-constraint-tightened', `${bound} ${was === undefined ? 'added' : JSON.stringify(was) + ' →'} ${JSON.stringify(now)}`);
    }
    if (b.additional === false && a.additional !== false) add('request-constraint-tightened', 'additionalProperties is now false');
  }

  #compareProperties(a: SchemaView, b: SchemaView, direction: Direction, where: string, changes: Change[]) {
    if (a.properties.size === 0 && b.properties.size === 0 && a.required.size === 0 && b.required.size === 0) return;
    const request = direction === 'request';
    // A readOnly property is never sent by a client, a writeOnly one never sent back.
    const hidden = (at: Located | undefined, doc: OpenApiDocument) => {
      if (!at) return false;
      const target = resolve(doc, at).node;
      return request ? target?.readOnly === true : target?.writeOnly === true;
    };
    const names = new Set([...a.properties.keys(), ...b.properties.keys(), ...a.required, ...b.required]);
    for (const name of names) {
      const was = a.properties.get(name);
      const now = b.properties.get(name);
      const inOld = was !== undefined || a.required.has(name);
      const inNew = now !== undefined || b.required.has(name);
      const label = `${where}.${name}`;
      const pointers = { old: was?.pointer ?? a.pointer, new: now?.pointer ?? b.pointer };
      if (hidden(was, this.before) && (now === undefined || hidden(now, this.after))) continue;
      if (!inOld && inNew) {
        if (hidden(now, this.after)) continue;
        if (request) changes.push(b.required.has(name) ? { check: 'request-property-added-required', message: `${label}: new required property`, new: pointers.new } : { check: 'request-property-added', message: `${label}: new optional property`, new: pointers.new });
        else changes.push({ check: 'response-property-added', message: `${label}: new property`, new: pointers.new });
        continue;
      }
      if (inOld && !inNew) {
        if (request) changes.push({ check: 'request-property-removed', message: `${label}: property removed`, old: pointers.old });
        else changes.push(a.required.has(name) ? { check: 'response-property-removed', message: `${label}: required property removed`, old: pointers.old } : { check: 'response-optional-property-removed', message: `${label}: optional property removed`, old: pointers.old });
        continue;
      }
      if (request && !a.required.has(name) && b.required.has(name)) changes.push({ check: 'request-property-became-required', message: `${label}: now required`, ...pointers });
      if (!request && a.required.has(name) && !b.required.has(name) && !hidden(now, this.after)) changes.push({ check: 'response-property-became-optional', message: `${label}: no longer required`, ...pointers });
      if (was && now) changes.push(...this.compare(was, now, direction, label));
    }
  }

  #compareAlternatives(
    a: readonly Located[],
    b: readonly Located[],
    keyword: string,
    direction: Direction,
    where: string,
    add: (check: CheckId, message: string) => void,
    changes: Change[],
  ) {
    if (a.length === 0 && b.length === 0) return;
    // Branches are paired by the component they name, then the rest in order.
    const unpaired = [...b];
    const pairs: [Located, Located][] = [];
    const lost: Located[] = [];
    for (const branch of a) {
      const name = isRef(branch.node) ? lastSegment(branch.node.$ref) : undefined;
      const same = name === undefined ? -1 : unpaired.findIndex((other) => isRef(other.node) && lastSegment(other.node.$ref) === name);
      if (same >= 0) pairs.push([branch, unpaired.splice(same, 1)[0]!]);
      else lost.push(branch);
    }
    while (lost.length > 0 && unpaired.length > 0 && unpaired.some((u) => !isRef(u.node)) && lost.some((l) => !isRef(l.node))) {
      const i = lost.findIndex((l) => !isRef(l.node));
      const j = unpaired.findIndex((u) => !isRef(u.node));
      pairs.push([lost.splice(i, 1)[0]!, unpaired.splice(j, 1)[0]!]);
    }
    for (const [was, now] of pairs) changes.push(...this.compare(was, now, direction, `${where}<${keyword}>`));
    if (unpaired.length > 0) add(direction === 'request' ? 'request-type-widened' : 'response-type-widened', `${keyword} has ${unpaired.length} new alternative(s)`);
    if (lost.length > 0) add(direction === 'request' ? 'request-type-narrowed' : 'response-type-narrowed', `${keyword} lost ${lost.length} alternative(s)`);
  }
}
