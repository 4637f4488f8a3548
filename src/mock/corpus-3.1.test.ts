import { corpusSuite, oasExamples } from '../testing/corpus.js';

corpusSuite('the mock on @readme/oas-examples 3.1', oasExamples('3.1'));
