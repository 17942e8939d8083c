// @prisma/adapter-better-sqlite3 6.19 prepares every statement anew (`client.prepare(sql).bind(args)`),
// and SQLite's compiling of a statement was the largest single cost of an update in the bench's
// profile (8 % of the bot's CPU). This keeps the last few hundred statements prepared and binds the
// arguments per call instead, which better-sqlite3 allows for a statement that is reused. It only
// changes how the adapter's own calls reach better-sqlite3: same SQL, same arguments, same results.
import type Database from "better-sqlite3";

type Statement = Database.Statement<unknown[]>;

/** What the adapter does with a prepared statement: bind once, then read or run it. */
interface Bound {
  readonly reader: boolean;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
  run(): Database.RunResult;
}

export const STATEMENT_CACHE_SIZE = 300;

/**
 * Makes `client.prepare` reuse prepared statements (least recently used ones are dropped). Returns
 * the original `prepare`, for statements of the bot's own (db/direct.ts).
 */
export function cacheStatements(client: Database.Database, size = STATEMENT_CACHE_SIZE): (sql: string) => Statement {
  const prepare = client.prepare.bind(client) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  const statement = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  (client as { prepare: unknown }).prepare = (sql: string) => {
    const stmt = statement(sql);
    return {
      bind: (args: unknown[] = []): Bound => ({
        reader: stmt.reader,
        columns: () => stmt.columns(),
        raw: () => ({ all: () => stmt.raw(true).all(args) }),
        run: () => stmt.run(args),
      }),
      run: (...args: unknown[]) => stmt.run(...args),
    };
  };
  return prepare;
}
