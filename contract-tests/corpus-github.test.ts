import { runnerCorpusSuite } from './testing/corpus.js';

runnerCorpusSuite("the contract runner on the mock of GitHub's REST description", ['@octokit/openapi/generated/api.github.com.json']);
