import { runnerCorpusSuite } from './testing/corpus.js';

runnerCorpusSuite("the contract runner on the mock of GitHub's REST and GHEC descriptions", ['@octokit/openapi/generated/api.github.com.json', '@octokit/openapi/generated/ghec.json']);
