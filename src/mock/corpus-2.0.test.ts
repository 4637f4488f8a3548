import { corpusSuite, oasExamples } from '../testing/corpus.js';

corpusSuite('the mock on @readme/oas-examples 2.0', oasExamples('2.0'));
