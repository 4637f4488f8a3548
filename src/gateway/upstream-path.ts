/**
 * The path sent upstream, rebuilt from the operation's template and the parameter values the route
 * stage matched and checked (src/pipeline/path-confusion.ts), each percent-encoded as one path
 * segment — never the bytes the client sent, so what the upstream (or a proxy in front of it)
 * resolves is exactly the resource the contract matched and authorised.
 */

/** A template split once: literal text at even indexes, parameter names at odd ones. */
const split = new Map<string, readonly string[]>();

function partsOf(template: string): readonly string[] {
  let parts = split.get(template);
  if (parts === undefined) split.set(template, (parts = template.split(/\{([^}]+)\}/)));
  return parts;
}

/** The template with each `{name}` replaced by its value, percent-encoded (`/` becomes `%2F`). */
export function upstreamPath(template: string, params: Readonly<Record<string, string>> | undefined): string {
  const parts = partsOf(template);
  let path = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) path += encodeURIComponent(params?.[parts[i]!] ?? '') + parts[i + 1]!;
  return path;
}
