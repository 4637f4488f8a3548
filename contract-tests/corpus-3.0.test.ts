import { oasExamples } from '../src/testing/corpus.js';
import { runnerCorpusSuite } from './testing/corpus.js';

runnerCorpusSuite('the contract runner on the mock of @readme/oas-examples 3.0', oasExamples('3.0'));
