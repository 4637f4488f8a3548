/** `npm run db:migrate`: applies pending migrations to the configured database and exits (1 on failure, naming the cause). */
import { loadConfigOrExit } from '../config/index.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open.js';

const config = loadConfigOrExit();
const db = await openDatabase(config.database);
try {
  const applied = await migrate(db);
  process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
} catch (error) {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}${typeof code === 'string' ? ` (${code})` : ''}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
