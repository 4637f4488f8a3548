/**
 * The catalogue of the breaking-change check: every check id, its default severity and what it
 * means. docs/contract.md "The breaking-change check" lists the same table; a test keeps them equal.
 */

/** How much a change matters to clients already built against the old document. */
export type Severity = 'breaking' | 'warning' | 'info';

/** Severities from the most to the least serious (also the order findings are listed in). */
export const SEVERITIES: readonly Severity[] = ['breaking', 'warning', 'info'];

/** Every check: its default severity and one sentence saying what it reports. */
export const CHECKS = {
  'path-removed': { severity: 'breaking', means: 'a path is gone: every call to it now answers 404' },
  'method-removed': { severity: 'breaking', means: 'the path remains but this method is gone (405)' },
  'operation-id-changed': { severity: 'warning', means: 'same method and path, another operationId: generated clients rename the method' },
  'operation-added': { severity: 'info', means: 'a new operation' },
  'operation-deprecated': { severity: 'info', means: 'the operation is newly marked deprecated' },
  'request-parameter-added-required': { severity: 'breaking', means: 'a new required parameter or header: old calls lack it' },
  'request-parameter-became-required': { severity: 'breaking', means: 'an optional parameter or header is now required' },
  'request-parameter-moved': { severity: 'breaking', means: 'a parameter keeps its name but moved (e.g. in: query → header)' },
  'request-parameter-renamed': { severity: 'breaking', means: 'a parameter was replaced by one of another name, in the same place with the same schema' },
  'request-parameter-style-changed': { severity: 'breaking', means: 'a parameter is serialised another way (style or explode): old calls send the old form' },
  'request-parameter-removed': { severity: 'warning', means: 'a parameter is no longer declared: clients still sending it may be refused or ignored' },
  'request-parameter-added': { severity: 'info', means: 'a new optional parameter' },
  'request-body-became-required': { severity: 'breaking', means: 'a request body is now required' },
  'request-media-type-removed': { severity: 'breaking', means: 'a request content type is no longer accepted (415)' },
  'request-media-type-added': { severity: 'info', means: 'a new request content type is accepted' },
  'request-property-added-required': { severity: 'breaking', means: 'a new required request body property' },
  'request-property-became-required': { severity: 'breaking', means: 'an optional request body property is now required' },
  'request-property-removed': { severity: 'warning', means: 'a request body property is no longer declared' },
  'request-property-added': { severity: 'info', means: 'a new optional request body property' },
  'request-type-narrowed': { severity: 'breaking', means: 'a request value accepts fewer types (or fewer oneOf/anyOf alternatives)' },
  'request-type-widened': { severity: 'info', means: 'a request value accepts more types' },
  'request-format-narrowed': { severity: 'breaking', means: 'a request value gained or changed its format' },
  'request-enum-narrowed': { severity: 'breaking', means: 'a request enum lost values, or a value became an enum' },
  'request-enum-widened': { severity: 'info', means: 'a request enum accepts more values' },
  'request-constraint-tightened': { severity: 'breaking', means: 'a request bound is tighter (maxLength, maximum, pattern, additionalProperties: false …)' },
  'response-success-status-removed': { severity: 'breaking', means: 'a 2xx status is no longer answered' },
  'response-status-removed': { severity: 'info', means: 'a non-2xx status is no longer declared' },
  'response-status-added': { severity: 'info', means: 'a new status is declared' },
  'response-media-type-removed': { severity: 'breaking', means: 'a 2xx response no longer comes in a media type it had' },
  'response-media-type-added': { severity: 'info', means: 'a response comes in a new media type too' },
  'response-property-removed': { severity: 'breaking', means: 'a required response property is gone' },
  'response-optional-property-removed': { severity: 'warning', means: 'an optional response property is gone' },
  'response-property-became-optional': { severity: 'breaking', means: 'a response property that was required may now be missing' },
  'response-property-added': { severity: 'info', means: 'a new response property' },
  'response-type-widened': { severity: 'breaking', means: 'a response value may have a type clients did not expect (new type, nullable, new oneOf/anyOf alternative)' },
  'response-type-narrowed': { severity: 'info', means: 'a response value has fewer possible types' },
  'response-format-changed': { severity: 'warning', means: 'a response value changed or lost its format' },
  'response-enum-widened': { severity: 'breaking', means: 'a response enum has new values (clients switch on it), or is no longer an enum' },
  'response-enum-narrowed': { severity: 'info', means: 'a response enum has fewer values' },
  'response-header-removed': { severity: 'breaking', means: 'a response header is gone' },
  'response-header-added': { severity: 'info', means: 'a new response header' },
  'security-added': { severity: 'breaking', means: 'an operation that was open now requires credentials' },
  'security-scopes-added': { severity: 'breaking', means: 'a security requirement needs more scopes' },
  'security-requirement-changed': { severity: 'breaking', means: 'credentials that were accepted no longer satisfy any requirement' },
  'security-scheme-changed': { severity: 'breaking', means: 'a security scheme the operation uses changed type, location or name' },
  'security-removed': { severity: 'info', means: 'an operation that required credentials is now open' },
  'rate-limit-added': { severity: 'warning', means: 'x-specgate-rate-limit now applies to the operation' },
  'rate-limit-tightened': { severity: 'warning', means: 'x-specgate-rate-limit allows fewer requests (per second or in a burst)' },
  'rate-limit-key-changed': { severity: 'warning', means: 'x-specgate-rate-limit counts by another key (caller ↔ ip)' },
  'rate-limit-loosened': { severity: 'info', means: 'x-specgate-rate-limit allows more requests, or is gone' },
  'upstream-changed': { severity: 'info', means: 'x-specgate-upstream sends the operation elsewhere' },
  'websocket-removed': { severity: 'breaking', means: 'x-specgate-websocket is gone: upgrades are refused' },
  'websocket-added': { severity: 'info', means: 'the path now accepts WebSocket upgrades (x-specgate-websocket)' },
  'extension-changed': { severity: 'info', means: 'another x-specgate-* extension on the operation changed' },
} as const satisfies Record<string, { severity: Severity; means: string }>;

/** A check's id, e.g. `response-property-removed`. */
export type CheckId = keyof typeof CHECKS;

/** Whether a string is a known check id. */
export const isCheckId = (id: string): id is CheckId => Object.hasOwn(CHECKS, id);

/** A change one check saw, before it is tied to an operation and given its severity. */
export interface Change {
  readonly check: CheckId;
  readonly message: string;
  /** JSON pointer (RFC 6901) in the old document; absent when the thing is new. */
  readonly old?: string;
  /** JSON pointer in the new document; absent when the thing is gone. */
  readonly new?: string;
}

/** The operation a finding is about. */
export interface FindingOperation {
  readonly operationId: string | null;
  readonly method: string;
  readonly path: string;
}

/** One reported change: check, severity, operation, message and where it is in both documents. */
export interface Finding {
  readonly check: CheckId;
  readonly severity: Severity;
  readonly operation: FindingOperation;
  readonly message: string;
  readonly pointer: { readonly old: string | null; readonly new: string | null };
}
