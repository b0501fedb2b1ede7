// PostgreSQL through a pg pool, for several servers sharing one database.
import pg from 'pg';
import { PostgresDialect } from 'kysely';

export interface OpenedPostgres {
  readonly dialect: PostgresDialect;
  readonly location: string;
  readonly pool: pg.Pool;
}

/** The URL without its password, safe for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

// int8 (20) carries counts and money in micro-units; they stay below 2^53, so numbers are exact.
const bigIntegerTypeId = 20;
const parseBigInteger = (text: string): number => Number(text);

export function openPostgres(url: string, poolSize: number): OpenedPostgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((typeId: number, format?: string) =>
        typeId === bigIntegerTypeId ? parseBigInteger : pg.types.getTypeParser(typeId, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), location: redactDatabaseUrl(url), pool };
}
