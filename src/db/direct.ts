// The few statements every update runs (inbox claim and finish, the person with the chat's rows,
// session writes) are written once, in SQL both engines understand, and run:
// - on SQLite straight on the better-sqlite3 connection, under the same lock as Prisma's queries
//   (db/serialised-sqlite.ts), so they never land inside an open transaction: a few microseconds,
//   where Prisma's $queryRaw costs over a hundred (it compiles a plan and maps every value);
// - on PostgreSQL through Prisma's $queryRaw.
// Values are always bound, never spliced into the text. Never call this inside a transaction
// callback (as with the outer client: it would wait for itself); `hotTransaction` gives the
// callback a `sql` of its own.
import type { Db } from "./client.js";
import { transaction } from "./transaction.js";

/** Runs one statement on SQLite's connection; rows for a statement that returns any, else []. */
export type SqliteRunner = (sql: string, args: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs `fn` in one transaction on SQLite's connection, giving it an unlocked runner. */
export type SqliteTransact = <T>(fn: (run: SqliteRunner) => Promise<T>) => Promise<T>;

/** A tagged template that runs one statement: `await sql<Row>\`SELECT …\``. */
export type HotSql = <T = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<T[]>;

const runners = new WeakMap<object, SqliteRunner>();
const transacts = new WeakMap<object, SqliteTransact>();

/** Called when a SQLite database is opened; a client without a runner (PostgreSQL, a wrapped client) uses Prisma. */
export function useSqliteRunner(db: object, run: SqliteRunner, transact?: SqliteTransact): void {
  runners.set(db, run);
  if (transact) transacts.set(db, transact);
}

export function sqliteRunnerOf(db: object): SqliteRunner | undefined {
  return runners.get(db);
}

/**
 * A tagged template over `db`: `await hotSql<Row>(db)\`SELECT … WHERE "key" = ${key}\``. On SQLite,
 * dates are bound as Prisma's adapter stores them (ISO 8601 with +00:00), and come back as those
 * strings; integers come back as numbers.
 */
export function hotSql<T>(db: Db) {
  return (strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> => {
    const run = runners.get(db);
    if (!run) return db.$queryRaw<T[]>(strings, ...values);
    return run(strings.join("?"), values.map(sqliteValue)) as Promise<T[]>;
  };
}

/**
 * Several statements of our own as one transaction: `fn` gets a `sql` tag like hotSql's and must
 * touch nothing but the database (on PostgreSQL it may run again after a write conflict, as with
 * db/transaction.ts). On SQLite it holds the connection throughout, a fraction of what a Prisma
 * interactive transaction costs; on PostgreSQL it is one (with $queryRaw inside).
 */
export async function hotTransaction<T>(db: Db, fn: (sql: HotSql) => Promise<T>): Promise<T> {
  const transact = transacts.get(db);
  if (transact) return transact((run) => fn(((strings: TemplateStringsArray, ...values: unknown[]) => run(strings.join("?"), values.map(sqliteValue))) as HotSql));
  return transaction(db, (tx) => fn(((strings: TemplateStringsArray, ...values: unknown[]) => tx.$queryRaw(strings, ...values)) as HotSql));
}

function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}
