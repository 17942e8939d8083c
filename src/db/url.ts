// Which engine a DATABASE_URL selects, and where a SQLite file lives.
import path from "node:path";

export type Engine = "sqlite" | "postgresql";

export function engineOf(url: string): Engine {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** Absolute path of a `file:` SQLite URL (relative paths are taken from the working directory). */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return p === ":memory:" ? p : path.resolve(p);
}

/** Splits `?schema=name` off a PostgreSQL URL: node-postgres ignores it, Prisma's adapter wants it apart. */
export function postgresTarget(url: string): { connectionString: string; schema?: string } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  u.searchParams.delete("schema");
  return { connectionString: u.toString(), schema };
}

/** Whether a Prisma client (or a transaction's client) talks to PostgreSQL. */
export function isPostgres(client: unknown): boolean {
  return (client as { _activeProvider?: string })._activeProvider === "postgresql";
}
