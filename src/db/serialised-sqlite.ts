// SQLite through @prisma/adapter-better-sqlite3 6.19 has one connection. Its interactive
// transactions take a lock, but plain queries do not: a write made outside a transaction while
// one is open runs inside it, and is lost if that transaction rolls back (a unique key found, a
// write conflict retried). This wrapper makes every outside query wait for the open transaction
// to end, so each write belongs to the transaction that made it. Never call the outer client from
// inside a transaction callback (use its `tx`): that would wait for itself.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { cacheStatements } from "./statement-cache.js";
import type { SqliteRunner, SqliteTransact } from "./direct.js";

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** A queue of one: each caller waits for the one before to release. */
function serialLock() {
  let tail: Promise<void> = Promise.resolve();
  return async (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const before = tail;
    tail = before.then(() => held);
    await before;
    return release;
  };
}

function guardTransaction(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const once = () => {
    if (!released) (released = true), release();
  };
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === "commit" || prop === "rollback") {
        return async () => {
          try {
            return await target[prop]();
          } finally {
            once();
          }
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

function guard(adapter: Adapter, lock: ReturnType<typeof serialLock>): Adapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "queryRaw" || prop === "executeRaw") {
        return async (query: never) => {
          const release = await lock();
          try {
            return await (target[prop] as (q: never) => Promise<unknown>)(query);
          } finally {
            release();
          }
        };
      }
      if (prop === "startTransaction") {
        return async (isolation?: never) => {
          const release = await lock();
          try {
            return guardTransaction(await target.startTransaction(isolation), release);
          } catch (err) {
            release();
            throw err;
          }
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Statements of the bot's own on the connection (db/direct.ts), each prepared once; the caller holds the lock. */
function directStatements(prepare: (sql: string) => Database.Statement<unknown[]>): SqliteRunner {
  const statements = new Map<string, Database.Statement<unknown[]>>();
  return async (sql, args) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      stmt.safeIntegers(false);
      // Only fixed texts come here; the bound keeps a mistake from growing without end.
      if (statements.size < 200) statements.set(sql, stmt);
    }
    if (!stmt.reader) {
      stmt.run(args);
      return [];
    }
    return stmt.all(args) as Record<string, unknown>[];
  };
}

/** One statement under the lock. */
function directRunner(exec: SqliteRunner, lock: ReturnType<typeof serialLock>): SqliteRunner {
  return async (sql, args) => {
    const release = await lock();
    try {
      return await exec(sql, args);
    } finally {
      release();
    }
  };
}

/**
 * Several statements as one transaction, under the lock for its whole length (so nothing else on
 * the connection lands inside it). BEGIN IMMEDIATE takes the write lock at once, waiting out
 * another writer (the admin CLI) for the busy timeout, where a DEFERRED transaction that reads
 * and then writes would fail at once. Any error rolls it back.
 */
function directTransactions(exec: SqliteRunner, lock: ReturnType<typeof serialLock>): SqliteTransact {
  return async (fn) => {
    const release = await lock();
    try {
      await exec("BEGIN IMMEDIATE", []);
      let result;
      try {
        result = await fn(exec);
      } catch (err) {
        await exec("ROLLBACK", []).catch(() => undefined);
        throw err;
      }
      await exec("COMMIT", []);
      return result;
    } finally {
      release();
    }
  };
}

/** The better-sqlite3 adapter factory whose connections serialise queries around transactions (and reuse prepared statements). */
export function serialisedSqlite(...args: ConstructorParameters<typeof PrismaBetterSQLite3>): Factory & { readonly runner?: SqliteRunner; readonly transact?: SqliteTransact } {
  const inner = new PrismaBetterSQLite3(...args);
  let runner: SqliteRunner | undefined;
  let transact: SqliteTransact | undefined;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "connect") {
        return async () => {
          const adapter = await target.connect();
          const prepare = cacheStatements((adapter as unknown as { client: Database.Database }).client);
          const lock = serialLock();
          const exec = directStatements(prepare);
          runner = directRunner(exec, lock);
          transact = directTransactions(exec, lock);
          return guard(adapter, lock);
        };
      }
      if (prop === "runner") return runner;
      if (prop === "transact") return transact;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
