/**
 * The path sent upstream, rebuilt from the operation's template and the parameter values the route
 * stage matched and checked (src/pipeline/path-confusion.ts), each percent-encoded as one path
 * segment — never the bytes the client sent, so what the upstream (or a proxy in front of it)
 * resolves is exactly the resource the contract matched and authorised.
 */

/** The template with each `{name}` replaced by its value, percent-encoded (`/` becomes `%2F`). */
export function upstreamPath(template: string, params: Readonly<Record<string, string>> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
}
