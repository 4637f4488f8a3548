/**
 * Neon's serverless driver (@neondatabase/serverless): node-postgres over a WebSocket, chosen
 * for *.neon.tech hosts or DB_DRIVER=neon. With NEON_WS_PROXY it talks to any PostgreSQL
 * through a WebSocket-to-TCP proxy (local development and the `neon` test project).
 */
import { Pool, neonConfig } from '@neondatabase/serverless';
import ws from 'ws';
import type { Database } from './database.js';
import { poolDatabase, type PoolLike } from './pool.js';
import { poolSettings, type ServerOptions } from './server-options.js';

/** Server options plus the optional WebSocket proxy (host:port/path, no scheme). */
export interface NeonOptions extends ServerOptions {
  readonly wsProxy?: string;
}

/** Opens a Neon pool; like pg, connections are made lazily. */
export function openNeon(options: NeonOptions): Database {
  // Node 20 has no global WebSocket; the settings below are process-wide in the driver.
  neonConfig.webSocketConstructor = ws;
  if (options.wsProxy !== undefined) {
    // A plain ws:// proxy in front of a server that speaks neither TLS-in-WebSocket nor cleartext-password pipelining.
    neonConfig.wsProxy = options.wsProxy;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const settings = poolSettings(options);
  return poolDatabase('neon', new Pool(settings.pool) as unknown as PoolLike, settings.database);
}
