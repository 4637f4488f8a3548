/**
 * The pipeline every request takes, one line per stage, top to bottom, with its last stage passed
 * in: the Tasks API's handlers (src/app.ts), the gateway's upstream (src/gateway/), the mock
 * (src/mock/), or a composition of them (`eitherOf`). Everything is compiled here, before the
 * first request: a bad spec, a schema Ajv cannot compile or an operation nothing answers fails
 * now. This folder imports nothing from db/, gateway/, handlers/ or mock/ (src/architecture.test.ts).
 */
import type { RequestListener } from 'node:http';
import { securityHandlersFor, type SchemeWarning } from '../auth/schemes.js';
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config/index.js';
import { compileOperationValidators, type SkippedCheck, type ValidatorSet } from '../contract/operation-validators.js';
import type { Contract } from '../contract/spec.js';
import type { ApiError } from '../errors.js';
import { memoryStore } from '../limits/memory-store.js';
import { ratePolicies } from '../limits/policy.js';
import { rateLimit, type RateLimiter } from '../limits/stage.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { requestMetrics } from '../metrics/request-stage.js';
import { processTracing } from '../tracing/process-tracing.js';
import type { Tracing } from '../tracing/tracing.js';
import { authenticate } from './authenticate.js';
import { jsonBody } from './body.js';
import { compose } from './compose.js';
import { corsPolicy } from './cors.js';
import { deprecation } from './deprecation.js';
import { formatError } from './format-error.js';
import { headLimit } from './head-limit.js';
import { assertEveryOperationAnswered, type LastStage, type LastStageFactory } from './last-stage.js';
import { requestId } from './request-id.js';
import { route, routeIndex, type RouteIndex } from './route.js';
import type { StageFunction } from './stage.js';
import { unanswered } from './unanswered.js';
import { upgradeLast, upgradeOrigin } from './upgrade.js';
import { validate } from './validate.js';

/** How requests are authenticated: the bearer verifier, and verifiers of openIdConnect schemes by name. */
export interface Security {
  readonly verifier: TokenVerifier;
  readonly schemeVerifiers?: Readonly<Record<string, TokenVerifier>>;
}

/** What any pipeline is built from. */
export interface PipelineDeps {
  readonly contract: Contract;
  readonly config: Config;
  readonly log: Logger;
  readonly security: Security;
  /** What answers a request that passed every check. */
  readonly last: LastStageFactory;
  /** What answers a WebSocket upgrade that passed every check (the gateway's tunnel); no upgrades without it. */
  readonly upgrade?: LastStageFactory;
  /** Where rate-limit budgets live (Redis when REDIS_URL is set, opened by serve()); this pipeline's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
  /** Counts requests and rate-limit rejections (METRICS_PORT); no metrics stage without it. */
  readonly metrics?: Metrics;
  /** OpenTelemetry tracing (OTEL_*); by default what serve() started in this process, if anything. No tracing stage without it. */
  readonly tracing?: Tracing;
  /** Turns what a last stage throws (a driver's error) into the ApiError the client sees; undefined leaves it a 500. */
  readonly translateError?: (thrown: unknown) => ApiError | undefined;
  /** Validate answers against the contract; by default everywhere but production. */
  readonly validateResponses?: boolean;
  /** Response headers CORS exposes besides the contract's (the gateway's X-Specgate-Contract-Violation). */
  readonly exposeHeaders?: readonly string[];
  /** Refuse to start on a schema that cannot compile or a scheme that cannot be checked (default); false warns and skips (the mock). */
  readonly strict?: boolean;
  /** Compile the validators in slices when the pipeline's validators.prepare() is awaited (live reload), not now. */
  readonly deferCompile?: boolean;
}

/** One named stage of the pipeline: its functions, in order (src/pipeline/stage.ts). */
export interface Stage {
  readonly name: string;
  readonly handlers: readonly StageFunction[];
  /** The route stage's index: which paths and methods the contract declares (the Express adapter asks it). */
  readonly routes?: RouteIndex;
}

/** A built pipeline: its stages as data, the last stage (for readiness and close), and the route index. */
export interface Pipeline {
  readonly stages: Stage[];
  readonly last: LastStage;
  /** The stages a WebSocket upgrade takes (the same, with the Origin enforced and the tunnel last); undefined when nothing upgrades. */
  readonly upgradeStages: Stage[] | undefined;
  /** The tunnel, when the contract has WebSocket paths (its drain closes every open socket). */
  readonly tunnel: LastStage | undefined;
  readonly routes: RouteIndex;
  readonly contract: Contract;
  /** Every operation's validators (prepare() compiles them when the pipeline was built with deferCompile). */
  readonly validators: ValidatorSet;
}

/** Builds the pipeline; any throw in a stage ends in format-error. */
export function pipeline(deps: PipelineDeps): Pipeline {
  const { config, contract, log, metrics, strict = true, validateResponses = !config.production } = deps;
  const routes = routeIndex(contract);
  const onSkip = (skipped: SkippedCheck) => log.warn(skipped, `schema check skipped: ${skipped.operationId} at ${skipped.location}: ${skipped.reason}`);
  const validators = compileOperationValidators(contract, { responses: validateResponses, strict, onSkip, deferred: deps.deferCompile });
  const security = securityFor(deps, strict);
  const last = deps.last({ contract, config, log, validators, responsesChecked: validateResponses, metrics, deferCompile: deps.deferCompile });
  assertEveryOperationAnswered(contract.operations, last);
  const tunnel = deps.upgrade?.({ contract, config, log, validators, responsesChecked: validateResponses, metrics });
  const limiter = rateLimiter(deps);
  const tracing = deps.tracing ?? processTracing();
  const stage = (name: string, ...handlers: StageFunction[]): Stage => ({ name, handlers });
  /** The stage list; `upgrading` enforces the Origin and ends in the tunnel instead of the last stage. */
  const stagesFor = (ending: Stage, upgrading: boolean): Stage[] => [
    stage('request-id', requestId(log)),
    ...(tracing ? [stage('tracing', tracing.stage)] : []),
    ...(metrics ? [stage('metrics', requestMetrics(metrics, contract))] : []),
    stage('cors', corsPolicy(config.cors, contract, routes, deps.exposeHeaders)),
    ...(upgrading ? [stage('upgrade origin', upgradeOrigin(config.cors))] : []),
    stage('head-limit', headLimit()),
    stage('body', jsonBody()),
    { ...stage('route', route(routes)), routes },
    stage('deprecation', deprecation(contract, { log, metrics, sunsetEnforce: config.contract.sunsetEnforce })),
    stage('rate-limit (by ip)', ...rateLimit(limiter, 'ip')),
    stage('authenticate', authenticate(contract, security, config.upstream.claimHeaders)),
    stage('rate-limit (by caller)', ...rateLimit(limiter, 'caller')),
    stage('validate', validate(validators)),
    ending,
    stage('format-error', formatError(log, deps.translateError)),
  ];
  const stages = stagesFor(stage(last.name, last.stage), false);
  const upgradeStages = tunnel && tunnel.answers.size > 0 ? stagesFor(stage(tunnel.name, upgradeLast(tunnel)), true) : undefined;
  return { stages, last, upgradeStages, tunnel, routes, contract, validators };
}

/** The security handler of every scheme the document declares; in strict mode a scheme that cannot be checked stops the start. */
function securityFor({ contract, log, security }: PipelineDeps, strict: boolean) {
  const warnings: SchemeWarning[] = [];
  const handlers = securityHandlersFor(contract.document, security.verifier, { verifiers: security.schemeVerifiers, onWarning: (w) => warnings.push(w) });
  if (strict && warnings.length > 0) throw new Error(`Security schemes that cannot be checked: ${warnings.map((w) => `${w.scheme} (${w.reason})`).join('; ')}`);
  for (const warning of warnings) log.warn(warning, `security scheme ${warning.scheme}: ${warning.reason}`);
  return handlers;
}

/** The rate limiter both rate-limit stages share: the contract's policies (none with RATE_LIMITS=off) over one store. */
function rateLimiter({ config, contract, metrics, rateLimitStore }: PipelineDeps): RateLimiter {
  const policies = config.limits.enabled ? ratePolicies(contract) : new Map();
  const rejections = new Map([...policies.values()].map((policy) => [policy, metrics?.rateLimitRejections.series({ policy: policy.name })]));
  return {
    policies,
    store: rateLimitStore ?? memoryStore(),
    failClosed: config.limits.failClosed,
    trustProxy: config.limits.trustProxy,
    onRejected: metrics && ((policy) => rejections.get(policy)?.inc()),
  };
}

/** The stages as one node:http request listener: the standalone server's whole request handling. */
export function mount(stages: readonly Stage[]): RequestListener {
  const run = compose(stages.flatMap((stage) => stage.handlers));
  return function specgate(req, res) {
    run(req, res, (error) => unanswered(res, error));
  };
}
