/** Entry point of `npm run cors:doctor`: the only file of the doctor with side effects. */
import { runDoctor } from './cli.js';

process.exitCode = await runDoctor(process.argv.slice(2), (text) => process.stdout.write(text));
