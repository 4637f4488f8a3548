/**
 * What an operator reads when the database cannot be used: which database (host, port, name and
 * user, never the password, or the PGlite folder), what the error means, and what to do about it.
 * For log lines only; clients get the uniform 503.
 */
import type { DatabaseConfig } from '../config/index.js';

/** The database a configuration points at, safe to log. */
export interface DatabaseTarget {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly folder?: string;
}

/** Where the configuration points, without the password. */
export function databaseTarget(config: DatabaseConfig): DatabaseTarget {
  if (config.driver === 'pglite' || config.url === undefined) return { folder: config.dataDir };
  try {
    const url = new URL(config.url);
    const user = decodeURIComponent(url.username) || 'postgres';
    return { host: url.hostname || 'localhost', port: Number(url.port || 5432), database: decodeURIComponent(url.pathname.slice(1)) || user, user };
  } catch {
    return {};
  }
}

const field = (error: unknown, name: string) => String((error as Record<string, unknown> | null)?.[name] ?? '');

/** One sentence saying what went wrong with this database and what to do. */
export function diagnoseDatabaseError(error: unknown, config: DatabaseConfig): string {
  const target = databaseTarget(config);
  if (target.folder !== undefined) return `embedded PGlite in ${target.folder} failed (${field(error, 'code') || field(error, 'name') || 'error'}); check the folder exists, is writable and holds a PGlite database`;
  const at = `${target.host}:${target.port}`;
  const code = field(error, 'code');
  const message = field(error, 'message');
  switch (code) {
    case '3D000':
      return `database "${target.database}" does not exist on ${at} — create it with: createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database} (or fix the name in DATABASE_URL)`;
    case '28P01':
      return `PostgreSQL at ${at} refused the password of user "${target.user}" (28P01) — check the user and password in DATABASE_URL`;
    case '28000':
      return `PostgreSQL at ${at} does not let user "${target.user}" connect to "${target.database}" (28000) — check pg_hba.conf and the user in DATABASE_URL`;
    case '53300':
      return `PostgreSQL at ${at} has no connection slots left (53300) — lower DB_POOL_MAX or raise the server's max_connections`;
    case '57P03':
      return `PostgreSQL at ${at} is starting up or shutting down (57P03) — retrying`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${at} (connection refused) — is PostgreSQL running there, and are the host and port in DATABASE_URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host "${target.host}" cannot be resolved (${code}) — check the host in DATABASE_URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `${at} cannot be reached (${code}) — check the host, the port and any firewall between here and it`;
  }
  if (/timeout exceeded when trying to connect/i.test(message)) {
    return `${at} did not accept a connection within DB_CONNECT_TIMEOUT_MS (${config.connectTimeoutMs} ms) — check the host and port in DATABASE_URL, or raise DB_CONNECT_TIMEOUT_MS for a cold-starting database`;
  }
  return `database "${target.database}" on ${at} failed${code ? ` (${code})` : ''}`;
}
