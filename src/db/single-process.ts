// SQLite serves one bot process (the inbox takes over every claim at start, the outbox and jobs
// assume no other sender). A second bot process on the same file is refused at start: the first
// holds an exclusive SQLite lock on a small companion file for as long as it lives; the operating
// system drops it when the process ends, even by SIGKILL, so a crash never blocks the restart.
// Several processes need PostgreSQL. The admin CLI does not take this lock and may run beside the bot.
import Database from "better-sqlite3";

export class SecondProcessError extends Error {}

/** Holds the lock for `dbFile` until release(); throws SecondProcessError when another process holds it. */
export function holdSingleProcessLock(dbFile: string): { release(): void } {
  const lock = new Database(`${dbFile}.process-lock`, { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("CREATE TABLE IF NOT EXISTS holder (pid INTEGER)");
    lock.exec("BEGIN EXCLUSIVE");
    lock.prepare("DELETE FROM holder").run();
    lock.prepare("INSERT INTO holder (pid) VALUES (?)").run(process.pid);
  } catch (err) {
    lock.close();
    if (/locked|busy/i.test((err as Error).message)) {
      throw new SecondProcessError(
        `another bot process already uses ${dbFile}: SQLite serves one process. Stop it, or use PostgreSQL (DATABASE_URL=postgresql://...) for several processes.`,
      );
    }
    throw err;
  }
  return {
    release() {
      try {
        lock.exec("COMMIT");
      } finally {
        lock.close();
      }
    },
  };
}
