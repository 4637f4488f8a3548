/**
 * `x-specgate-*` checks: the extensions that change what the gateway does with a request
 * (docs/scaling.md for `x-specgate-rate-limit`, docs/gateway.md for `x-specgate-upstream` and
 * `x-specgate-websocket`). Each is read where it takes effect: the nearest of operation, path
 * item and document root.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import type { Change } from './checks.js';
import type { OperationAt } from './operations.js';
import { child } from './refs.js';

const RATE_LIMIT = 'x-specgate-rate-limit';
const UPSTREAM = 'x-specgate-upstream';
const WEBSOCKET = 'x-specgate-websocket';
const KNOWN = new Set([RATE_LIMIT, UPSTREAM, WEBSOCKET]);

interface Found {
  readonly value: any;
  readonly pointer: string;
}

/** The extension's value where it takes effect for this operation, or undefined. */
function nearest(document: OpenApiDocument, at: OperationAt, name: string, onPathItem: boolean): Found | undefined {
  if (at.operation[name] !== undefined) return { value: at.operation[name], pointer: child(at.pointer, name) };
  if (onPathItem && at.item[name] !== undefined) return { value: at.item[name], pointer: child(at.itemPointer, name) };
  if (document[name] !== undefined) return { value: document[name], pointer: child('', name) };
  return undefined;
}

const rate = (policy: any) => Number(policy?.requests) / Number(policy?.per);
const policyText = (policy: any) => `${policy?.requests} per ${policy?.per} s by ${policy?.by}`;
const pointers = (old: Found | undefined, neu: Found | undefined) => ({ ...(old ? { old: old.pointer } : {}), ...(neu ? { new: neu.pointer } : {}) });

function rateLimitChanges(old: Found | undefined, neu: Found | undefined): Change[] {
  if (!old && !neu) return [];
  if (!old) return [{ check: 'rate-limit-added', message: `now rate-limited: ${policyText(neu!.value)}`, new: neu!.pointer }];
  if (!neu) return [{ check: 'rate-limit-loosened', message: `no longer rate-limited (was ${policyText(old.value)})`, old: old.pointer }];
  const changes: Change[] = [];
  const a = old.value;
  const b = neu.value;
  const text = `${policyText(a)} → ${policyText(b)}`;
  if (rate(b) < rate(a) || Number(b?.requests) < Number(a?.requests)) changes.push({ check: 'rate-limit-tightened', message: `rate limit tightened: ${text}`, ...pointers(old, neu) });
  else if (rate(b) > rate(a) || Number(b?.requests) > Number(a?.requests)) changes.push({ check: 'rate-limit-loosened', message: `rate limit loosened: ${text}`, ...pointers(old, neu) });
  if (a?.by !== b?.by) changes.push({ check: 'rate-limit-key-changed', message: `rate limit now counted by ${b?.by} (was ${a?.by})`, ...pointers(old, neu) });
  return changes;
}

/** `x-specgate-*` changes of a paired operation. */
export function extensionChanges(before: OpenApiDocument, after: OpenApiDocument, was: OperationAt, now: OperationAt): Change[] {
  const changes = rateLimitChanges(nearest(before, was, RATE_LIMIT, false), nearest(after, now, RATE_LIMIT, false));
  const oldUpstream = nearest(before, was, UPSTREAM, true);
  const newUpstream = nearest(after, now, UPSTREAM, true);
  if (oldUpstream?.value !== newUpstream?.value) {
    changes.push({ check: 'upstream-changed', message: `upstream ${oldUpstream?.value ?? 'UPSTREAM_URL or a handler'} → ${newUpstream?.value ?? 'UPSTREAM_URL or a handler'}`, ...pointers(oldUpstream, newUpstream) });
  }
  if (was.method === 'get') {
    const oldSocket = was.item[WEBSOCKET] === true;
    const newSocket = now.item[WEBSOCKET] === true;
    if (oldSocket && !newSocket) changes.push({ check: 'websocket-removed', message: 'WebSocket upgrades are no longer accepted', old: child(was.itemPointer, WEBSOCKET) });
    if (!oldSocket && newSocket) changes.push({ check: 'websocket-added', message: 'WebSocket upgrades are now accepted', new: child(now.itemPointer, WEBSOCKET) });
  }
  const names = new Set([...Object.keys(was.operation), ...Object.keys(now.operation)].filter((k) => k.startsWith('x-specgate-') && !KNOWN.has(k)));
  for (const name of names) {
    if (JSON.stringify(was.operation[name]) === JSON.stringify(now.operation[name])) continue;
    changes.push({ check: 'extension-changed', message: `${name} changed`, ...(name in was.operation ? { old: child(was.pointer, name) } : {}), ...(name in now.operation ? { new: child(now.pointer, name) } : {}) });
  }
  return changes;
}
