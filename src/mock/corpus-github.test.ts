import { corpusSuite } from '../testing/corpus.js';

corpusSuite("the mock on GitHub's REST description", ['@octokit/openapi/generated/api.github.com.json']);
