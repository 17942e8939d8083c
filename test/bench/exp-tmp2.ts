import { mkdtempSync } from "node:fs"; import { tmpdir } from "node:os"; import path from "node:path";
import { migrate } from "/work/main/src/db/migrate.js";
import { openDatabase } from "/work/main/src/db/client.js";
const dir = mkdtempSync(path.join(tmpdir(), "exp-")); const url = `file:${path.join(dir, "c.db")}`;
await migrate(url); const { prisma: db } = await openDatabase(url);
const c = await db.coordinator.create({ data: { telegramId: 1n, regions: "", categories: "", maxOpen: 10 } });
async function time(label: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 300; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < 2000; i++) { const t = performance.now(); await f(); xs.push(performance.now() - t); }
  xs.sort((a, b) => a - b);
  console.log(label.padEnd(30), "p50", xs[1000]!.toFixed(3), "p99", xs[1980]!.toFixed(3));
}
const now = new Date();
await time("prisma update", () => db.coordinator.update({ where: { id: c.id }, data: { openCases: { increment: 1 }, lastAssignedAt: now } }));
await time("raw execute", () => db.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" + 1, "lastAssignedAt" = ${now} WHERE "id" = ${c.id}`);
await time("prisma findUnique", () => db.coordinator.findUnique({ where: { id: c.id } }));
await time("raw query", () => db.$queryRaw`SELECT * FROM "Coordinator" WHERE "id" = ${c.id}`);
await time("tx batch 2 raw", () => db.$transaction([db.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" + 1 WHERE "id" = ${c.id}`, db.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" - 1 WHERE "id" = ${c.id}`]));
await time("itx 2 raw", () => db.$transaction(async (tx) => { await tx.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" + 1 WHERE "id" = ${c.id}`; await tx.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" - 1 WHERE "id" = ${c.id}`; }));
const row = await db.$queryRaw<any[]>`SELECT "lastAssignedAt" FROM "Coordinator" WHERE "id" = ${c.id}`; console.log(row, (await db.coordinator.findUnique({ where: { id: c.id } }))!.lastAssignedAt);
