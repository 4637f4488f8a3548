/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '../config.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open.js';

const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const applied = await migrate(db);
  process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
} finally {
  await db.close();
}
