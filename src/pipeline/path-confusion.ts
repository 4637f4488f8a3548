/**
 * The path-confusion check of the route stage: a path parameter whose decoded value holds a `/`
 * or `\` (sent as `%2F`, `%5C`, in any case) or is a dot-segment (`.`, `..`, `%2e%2e`, `%2E.`)
 * is refused, because a server or proxy behind us that decodes and normalises the path (nginx's
 * `proxy_pass http://app/api/;` does) would reach another resource than the one the contract
 * matched and authorised. A parameter marked `x-specgate-allow-encoded-slash: true` may hold
 * slashes, never dot-segments. See docs/gateway.md, "The edge security policy".
 */
import { pointerSegment } from '../contract/ajv.js';
import { followRefs } from '../contract/refs.js';
import type { OpenApiDocument, OperationInfo } from '../contract/spec.js';
import { validationError, type ValidationIssue } from '../errors.js';

/** The parameter extension that lets a path parameter carry an encoded `/` or `\`. */
export const ALLOW_ENCODED_SLASH = 'x-specgate-allow-encoded-slash';

const SLASH = /[/\\]/;
const isDotSegment = (part: string) => part === '.' || part === '..';

/** The names of the operation's path parameters (path item's and operation's) that opt in to encoded slashes. */
export function slashAllowed(document: OpenApiDocument, op: OperationInfo): ReadonlySet<string> {
  const item = document.paths?.[op.path] ?? {};
  const base = `/paths/${pointerSegment(op.path)}`;
  const lists: [unknown, string][] = [[item.parameters, `${base}/parameters`], [item[op.method]?.parameters, `${base}/${op.method}/parameters`]];
  const allowed = new Set<string>();
  for (const [list, pointer] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const param = followRefs(document, raw, `${pointer}/${i}`).value;
      if (param?.in === 'path' && param[ALLOW_ENCODED_SLASH] === true) allowed.add(String(param.name));
      else if (param?.in === 'path') allowed.delete(String(param.name));
    });
  }
  return allowed;
}

/** Why a decoded path parameter value is refused, or undefined when it is safe to forward. */
export function confusingValue(value: string, slashOk: boolean): string | undefined {
  if (isDotSegment(value)) return 'is a dot-segment (. or ..), which a server behind the gateway would resolve against the path';
  if (!SLASH.test(value)) return undefined;
  if (!slashOk) return `contains an encoded "/" or "\\" (%2F, %5C), which a server behind the gateway could read as a path separator`;
  if (value.split(SLASH).some(isDotSegment)) return 'contains a dot-segment (. or ..) between its slashes, which a server behind the gateway would resolve against the path';
  return undefined;
}

/** Throws 400 validation_error listing every path parameter whose value could change the path a server behind the gateway sees. */
export function refuseConfusingPath(params: Readonly<Record<string, string>>, slashOk: ReadonlySet<string>): void {
  let issues: ValidationIssue[] | undefined;
  for (const name in params) {
    const message = confusingValue(params[name]!, slashOk.has(name));
    if (message !== undefined) (issues ??= []).push({ location: 'path', path: name, message });
  }
  if (issues) throw validationError(issues, 'The request path would reach another resource behind the gateway.');
}
