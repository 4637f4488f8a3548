/** The breaking-change check as a library: diffDocuments and what it needs and returns. */
export { CHECKS, type Change, type CheckId, type Finding, type FindingOperation, type Severity } from './checks.js';
export { diffDocuments, type DiffOptions, type DiffResult } from './diff.js';
export { severitiesFromConfig, InvalidDiffConfig, type SeverityOverrides } from './severities.js';
export { formatReport, FORMATS, type Format } from './format.js';
