// Recognising a unique-constraint violation, which several writes rely on to stay idempotent.
// Prisma reports it as P2002 from its query API and as P2010 with the driver's kind from raw SQL.
interface PrismaLikeError {
  code?: string;
  meta?: { driverAdapterError?: { cause?: { kind?: string } } };
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as PrismaLikeError | undefined;
  return e?.code === "P2002" || (e?.code === "P2010" && e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}
