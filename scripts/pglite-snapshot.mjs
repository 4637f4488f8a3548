// Makes (or finds in node_modules/.cache/specgate) the migrated PGlite snapshot for the compiled
// dist/ and prints its path. Run by scripts/build.mjs as a child process: making it boots PGlite
// and runs initdb (hundreds of MiB), which should not stay in a server that built itself on
// `npm start` (scripts/ensure-build.mjs runs the build in-process).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT } from './build-inputs.mjs';

const { ensureSnapshot } = await import(pathToFileURL(join(DIST, 'src/db/pglite-snapshot.js')).href);
process.stdout.write(`${await ensureSnapshot(join(ROOT, 'node_modules/.cache/specgate'))}\n`);
