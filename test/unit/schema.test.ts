// The PostgreSQL schema is generated from the SQLite one, and every model change has a migration.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom, postgresSchemaPath, sqliteSchemaPath } from "../../src/db/sync-schemas.js";
import { loadMigrations, migrationsDir } from "../../src/db/migrate.js";

describe("schemas and migrations", () => {
  it("prisma/postgresql/schema.prisma matches prisma/schema.prisma (run npm run db:sync-schemas)", () => {
    expect(readFileSync(postgresSchemaPath, "utf8")).toBe(postgresSchemaFrom(readFileSync(sqliteSchemaPath, "utf8")));
  });

  it("the model has no change without a migration (run npm run db:new-migration -- <name>)", () => {
    const snapshot = readFileSync(`${migrationsDir("sqlite")}/schema.snapshot.prisma`, "utf8");
    expect(snapshot).toBe(readFileSync(sqliteSchemaPath, "utf8"));
  });

  it("both engines have the same migrations, in order", () => {
    const names = (e: "sqlite" | "postgresql") => loadMigrations(migrationsDir(e)).map((m) => m.name);
    expect(names("sqlite").length).toBeGreaterThan(0);
    expect(names("postgresql")).toEqual(names("sqlite"));
  });
});
