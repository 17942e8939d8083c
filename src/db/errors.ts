// Recognising a unique-constraint violation, which several writes rely on to stay idempotent.
// Prisma reports it as P2002 from its query API and as P2010 with the driver's kind from raw SQL;
// statements run straight on SQLite's connection (db/direct.ts) throw better-sqlite3's own error.
interface PrismaLikeError {
  code?: string;
  meta?: { driverAdapterError?: { cause?: { kind?: string } } };
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as PrismaLikeError | undefined;
  return e?.code === "P2002" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || (e?.code === "P2010" && e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}
