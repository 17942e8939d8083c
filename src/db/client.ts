// Opens the Prisma client for DATABASE_URL. Both engines share the model; the SQLite client's
// types are used everywhere, and the PostgreSQL client (generated from the twin schema) has the
// same shape.
import { serialisedSqlite } from "./serialised-sqlite.js";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client.js";
import { engineOf, postgresTarget, sqlitePath, type Engine } from "./url.js";
import { startCheckpointer, type Checkpointer } from "./checkpointer.js";
import { useSqliteRunner } from "./direct.js";

export type Db = SqliteClient;
/** The client inside an interactive transaction. */
export type Tx = import("../generated/sqlite/client.js").Prisma.TransactionClient;

export interface Database {
  prisma: Db;
  engine: Engine;
  /** SQLite only: the background WAL checkpointer. */
  checkpointer?: Checkpointer;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: connections in this process's pool (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** PostgreSQL: longest a statement may run before the server cancels it (DATABASE_STATEMENT_TIMEOUT_MS; 0 = none). */
  statementTimeoutMs?: number;
  /** SQLite: checkpoint the WAL from a worker thread (see checkpointer.ts). On by default. */
  checkpointInBackground?: boolean;
  onCheckpointFailure?: (reason: string) => void;
}

export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Database> {
  const engine = engineOf(url);
  if (engine === "postgresql") {
    const { connectionString, schema } = postgresTarget(url);
    const adapter = new PrismaPg(
      {
        connectionString, max: opts.poolSize ?? 10,
        ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
        ...(schema ? { options: `-c search_path="${schema}"` } : {}),
      },
      schema ? { schema } : undefined,
    );
    const prisma = new PostgresClient({ adapter }) as unknown as Db;
    await prisma.$connect();
    return { prisma, engine, close: () => prisma.$disconnect() };
  }
  // busy timeout: the admin CLI may write while the bot runs.
  // serialisedSqlite: a write outside a transaction never lands inside one (see the file).
  const adapter = serialisedSqlite({ url: `file:${sqlitePath(url)}`, timeout: 10_000 });
  const prisma = new SqliteClient({ adapter });
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  // A larger page cache and memory-mapped reads keep hot tables (coordinators, open cases) in memory.
  await prisma.$queryRawUnsafe("PRAGMA cache_size = -65536");
  await prisma.$queryRawUnsafe("PRAGMA mmap_size = 268435456");
  // Connected now: the statements every update runs go straight to the connection (db/direct.ts).
  if (adapter.runner) useSqliteRunner(prisma, adapter.runner, adapter.transact);
  if (opts.checkpointInBackground === false) return { prisma, engine, close: () => prisma.$disconnect() };
  await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(sqlitePath(url), {
    onFailure: (reason) => {
      opts.onCheckpointFailure?.(reason);
      void prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => undefined);
    },
  });
  return {
    prisma, engine, checkpointer,
    close: async () => {
      await prisma.$disconnect();
      await checkpointer.stop();
    },
  };
}
