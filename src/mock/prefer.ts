/**
 * The `Prefer` request header as Prism reads it for mocks (RFC 7240 syntax): `code=404` picks the
 * operation's declared response for that status, `example=name` one of its named examples,
 * `dynamic=true` a value generated anew for this request; they combine
 * (`Prefer: code=200, example=cat`). Other preferences are ignored.
 */

/** What a request asks the mock to answer. */
export interface Scenario {
  /** The status to answer with, as sent (checked against the declared responses later). */
  readonly code?: string;
  /** The name of an example of the chosen response. */
  readonly example?: string;
  /** Generate the body for this request rather than use the examples. */
  readonly dynamic: boolean;
}

/** The scenario of a `Prefer` header value (absent: the default answer). */
export function parsePrefer(header: unknown): Scenario {
  const text = Array.isArray(header) ? header.join(',') : typeof header === 'string' ? header : '';
  const found: Record<string, string> = {};
  for (const part of text.split(/[,;]/)) {
    const match = /^\s*([A-Za-z-]+)\s*(?:=\s*(?:"([^"]*)"|([^\s"]*)))?\s*$/.exec(part);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    if (!(key in found)) found[key] = match[2] ?? match[3] ?? '';
  }
  return {
    ...(found.code !== undefined ? { code: found.code } : {}),
    ...(found.example !== undefined ? { example: found.example } : {}),
    dynamic: found.dynamic === 'true',
  };
}
