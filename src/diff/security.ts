/**
 * Security checks: credentials a client sent under the old document must still satisfy one of
 * the new requirements (alternatives are OR, schemes inside one are AND), and the schemes the
 * operation uses must still be read from the same place.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import type { Change } from './checks.js';
import type { OperationAt } from './operations.js';
import { child } from './refs.js';

type Requirement = Record<string, readonly string[]>;

interface Effective {
  readonly alternatives: readonly Requirement[];
  readonly pointer: string;
}

function securityOf(document: OpenApiDocument, at: OperationAt): Effective {
  if (Array.isArray(at.operation.security)) return { alternatives: at.operation.security, pointer: child(at.pointer, 'security') };
  if (Array.isArray(document.security)) return { alternatives: document.security, pointer: '/security' };
  return { alternatives: [], pointer: at.pointer };
}

const isOpen = (alternatives: readonly Requirement[]) => alternatives.length === 0 || alternatives.some((r) => Object.keys(r ?? {}).length === 0);

/** Whether credentials that satisfy `held` also satisfy `needed`. */
const satisfies = (held: Requirement, needed: Requirement) =>
  Object.entries(needed ?? {}).every(([scheme, scopes]) => held[scheme] !== undefined && (scopes ?? []).every((s) => held[scheme]!.includes(s)));

const describe = (r: Requirement) => Object.entries(r ?? {}).map(([scheme, scopes]) => (scopes?.length ? `${scheme} [${scopes.join(', ')}]` : scheme)).join(' + ');

// What of a scheme decides where and how the credential is sent.
const SCHEME_FIELDS = ['type', 'in', 'name', 'scheme'] as const;

/** Security changes of a paired operation. */
export function securityChanges(before: OpenApiDocument, after: OpenApiDocument, was: OperationAt, now: OperationAt): Change[] {
  const old = securityOf(before, was);
  const neu = securityOf(after, now);
  const changes: Change[] = [];
  if (isOpen(old.alternatives)) {
    if (!isOpen(neu.alternatives)) changes.push({ check: 'security-added', message: `was open, now requires ${neu.alternatives.map(describe).join(' or ')}`, old: old.pointer, new: neu.pointer });
  } else if (isOpen(neu.alternatives)) {
    changes.push({ check: 'security-removed', message: 'now open to anonymous callers', old: old.pointer, new: neu.pointer });
  } else {
    for (const held of old.alternatives) {
      if (neu.alternatives.some((needed) => satisfies(held, needed))) continue;
      const sameSchemes = neu.alternatives.find((needed) => Object.keys(needed).sort().join() === Object.keys(held).sort().join());
      if (sameSchemes) {
        const more = Object.entries(sameSchemes).flatMap(([scheme, scopes]) => (scopes ?? []).filter((s) => !(held[scheme] ?? []).includes(s)).map((s) => `${scheme}:${s}`));
        changes.push({ check: 'security-scopes-added', message: `${describe(held)} now also needs ${more.join(', ')}`, old: old.pointer, new: neu.pointer });
      } else {
        changes.push({ check: 'security-requirement-changed', message: `${describe(held)} is no longer accepted (now ${neu.alternatives.map(describe).join(' or ')})`, old: old.pointer, new: neu.pointer });
      }
    }
  }
  const used = new Set(old.alternatives.flatMap((r) => Object.keys(r ?? {})).filter((s) => neu.alternatives.some((n) => n?.[s] !== undefined)));
  for (const scheme of used) {
    const a = before.components?.securitySchemes?.[scheme];
    const b = after.components?.securitySchemes?.[scheme];
    if (!a || !b) continue;
    const differs = SCHEME_FIELDS.filter((field) => String(a[field] ?? '').toLowerCase() !== String(b[field] ?? '').toLowerCase());
    if (differs.length === 0) continue;
    const what = differs.map((field) => `${field} ${a[field] ?? 'none'} → ${b[field] ?? 'none'}`).join(', ');
    changes.push({ check: 'security-scheme-changed', message: `security scheme ${scheme}: ${what}`, old: child('', 'components', 'securitySchemes', scheme), new: child('', 'components', 'securitySchemes', scheme) });
  }
  return changes;
}
