import { corpusSuite } from '../testing/corpus.js';

corpusSuite("the mock on GitHub's REST and GHEC descriptions", ['@octokit/openapi/generated/api.github.com.json', '@octokit/openapi/generated/ghec.json']);
