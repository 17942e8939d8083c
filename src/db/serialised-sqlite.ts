// SQLite through @prisma/adapter-better-sqlite3 6.19 has one connection. Its interactive
// transactions take a lock, but plain queries do not: a write made outside a transaction while
// one is open runs inside it, and is lost if that transaction rolls back (a unique key found, a
// write conflict retried). This wrapper makes every outside query wait for the open transaction
// to end, so each write belongs to the transaction that made it. Never call the outer client from
// inside a transaction callback (use its `tx`): that would wait for itself.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { cacheStatements } from "./statement-cache.js";

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

function guard(adapter: Adapter): Adapter {
  const lock = serialLock();
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

/** The better-sqlite3 adapter factory whose connections serialise queries around transactions (and reuse prepared statements). */
export function serialisedSqlite(...args: ConstructorParameters<typeof PrismaBetterSQLite3>): Factory {
  const inner = new PrismaBetterSQLite3(...args);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "connect") {
        return async () => {
          const adapter = await target.connect();
          cacheStatements((adapter as unknown as { client: Database.Database }).client);
          return guard(adapter);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
