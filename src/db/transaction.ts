// Interactive transactions that survive another writer. Every service transaction goes through
// here; it must only be given work that touches nothing but the database, since it may run twice.
//
// SQLite: @prisma/adapter-better-sqlite3 6.19.3 opens every transaction with a plain (DEFERRED)
// BEGIN and has no option for IMMEDIATE. A transaction that has read and then writes while another
// connection (the admin CLI, a second process) holds or has just committed the write lock fails at
// once with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT: the busy timeout does not cover that upgrade.
// PostgreSQL: of two transactions that lock the same rows in opposite order, one is aborted
// (deadlock 40P01). Nothing of a failed attempt is kept, so it is run again after a short pause.
import type { Db, Tx } from "./client.js";

interface DriverLikeError {
  code?: string;
  meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
}

/** Whether a transaction failed only because another one was writing at the same time. */
export function isWriteConflict(err: unknown): boolean {
  const e = err as DriverLikeError | undefined;
  const code = e?.meta?.driverAdapterError?.cause?.originalCode ?? e?.code ?? "";
  return code.startsWith("SQLITE_BUSY") || code === "40P01" || code === "40001" || couldNotStart(err);
}

/**
 * PostgreSQL: every pooled connection was busy for Prisma's maxWait (2 s), so the transaction never
 * began (P2028). Seen with a burst of hundreds of sign-ups in one process; nothing ran, so it is
 * safe to try again.
 */
function couldNotStart(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === "P2028" && /Unable to start a transaction/i.test(e.message ?? "");
}

export interface RetryOptions {
  /** Give up after this long (the SQLite busy timeout, so a held lock waits as long as it would elsewhere). */
  maxWaitMs?: number;
}

/** Runs `fn` in an interactive transaction, again (after a pause) when it lost a write conflict. */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.maxWaitMs ?? 10_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(fn);
    } catch (err) {
      if (!isWriteConflict(err) || Date.now() >= deadline) throw err;
      // Jitter, so two losers do not collide again; capped, so a short lock costs little.
      const pause = Math.min(250, 5 * 2 ** attempt) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
