// SQLite through @prisma/adapter-better-sqlite3 6.19 has one connection. Its interactive
// transactions take a lock, but plain queries do not: a write made outside a transaction while
// one is open runs inside it, and is lost if that transaction rolls back (a unique key found, a
// write conflict retried). This wrapper makes every outside query wait for the open transaction
// to end, so each write belongs to the transaction that made it. Never call the outer client from
// inside a transaction callback (use its `tx`): that would wait for itself.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { cacheStatements } from "./statement-cache.js";
import type { SqliteRunner } from "./direct.js";

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

/** Statements of the bot's own on the connection (db/direct.ts), under the same lock, each prepared once. */
function directRunner(prepare: (sql: string) => Database.Statement<unknown[]>, lock: ReturnType<typeof serialLock>): SqliteRunner {
  const statements = new Map<string, Database.Statement<unknown[]>>();
  return async (sql, args) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      stmt.safeIntegers(false);
      // Only fixed texts come here; the bound keeps a mistake from growing without end.
      if (statements.size < 100) statements.set(sql, stmt);
    }
    const release = await lock();
    try {
      if (!stmt.reader) {
        stmt.run(args);
        return [];
      }
      return stmt.all(args) as Record<string, unknown>[];
    } finally {
      release();
    }
  };
}

/** The better-sqlite3 adapter factory whose connections serialise queries around transactions (and reuse prepared statements). */
export function serialisedSqlite(...args: ConstructorParameters<typeof PrismaBetterSQLite3>): Factory & { readonly runner?: SqliteRunner } {
  const inner = new PrismaBetterSQLite3(...args);
  let runner: SqliteRunner | undefined;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "connect") {
        return async () => {
          const adapter = await target.connect();
          const prepare = cacheStatements((adapter as unknown as { client: Database.Database }).client);
          const lock = serialLock();
          runner = directRunner(prepare, lock);
          return guard(adapter, lock);
        };
      }
      if (prop === "runner") return runner;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
