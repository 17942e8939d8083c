// Case creation at scale: 500 coordinators and 5,000 then 50,000 open cases already stored, on
// SQLite and, when a server answers, on PostgreSQL.
// Measures createCase (assignment + case + timeline + outbox write, one transaction) and the
// assignment read on its own, to show it does not grow with the number of cases.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { type CaseSettings } from "../../src/services/cases/lifecycle.js";
import { createCase } from "../../src/services/cases/intake.js";
import { pickCoordinator } from "../../src/services/cases/assignment.js";
import { candidatesFor } from "../../src/services/cases/pool.js";
import { CATEGORIES } from "../../src/services/vocabulary.js";
import { dropPostgresSchema, emptyPostgresUrl, postgresAvailable } from "../helpers/db.js";

const COORDINATORS = 500;
const SAMPLES = Number(process.env.BENCH_CASE_SAMPLES ?? 400);
const settings: CaseSettings = { ackSeconds: { normal: 1800, urgent: 600 }, adminTelegramIds: [] };

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function fillCases(db: Db, target: number, regions: string[], requesters: number[], coordinatorIds: number[]) {
  let have = await db.case.count();
  const now = new Date();
  while (have < target) {
    const n = Math.min(5000, target - have);
    await db.case.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        number: `B-${have + i}`, requesterId: requesters[(have + i) % requesters.length]!, category: CATEGORIES[(have + i) % CATEGORIES.length]!,
        regionCode: regions[(have + i) % regions.length]!, urgency: "normal", status: (have + i) % 3 === 0 ? "assigned" : "in_progress",
        coordinatorId: coordinatorIds[(have + i) % coordinatorIds.length]!, createdAt: now, lastActivityAt: now, offeredAt: now,
      })),
    });
    have += n;
  }
}

async function measure(db: Db, label: string, regions: string[], requesterId: number, nextUpdate: () => number) {
  const create: number[] = [];
  const assign: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const region = regions[i % regions.length]!;
    const category = CATEGORIES[i % CATEGORIES.length]!;
    let t = performance.now();
    // The assignment createCase makes: the candidates' read and the rule.
    pickCoordinator(await candidatesFor(db, category, region), { category, regionCode: region });
    assign.push(performance.now() - t);
    t = performance.now();
    await createCase(db, () => new Date(), { requesterId, category, urgency: "normal", regionCode: region, description: "Bench", attachments: [], sourceKey: `c:1:${nextUpdate()}` }, settings);
    create.push(performance.now() - t);
  }
  const f = (x: number) => x.toFixed(2).padStart(8);
  console.log(`${label.padEnd(22)} createCase p50 ${f(pct(create, 0.5))} ms  p99 ${f(pct(create, 0.99))} ms   assignment read p50 ${f(pct(assign, 0.5))} ms  p99 ${f(pct(assign, 0.99))} ms`);
  return pct(create, 0.99);
}

async function benchCases(url: string, engine: string): Promise<void> {
  await migrate(url);
  const { prisma: db, close } = await openDatabase(url);
  try {
    await seedRegions(db);
    const regions = (await db.region.findMany({ where: { country: "RU" }, select: { code: true } })).map((r) => r.code);
    await db.coordinator.createMany({
      data: Array.from({ length: COORDINATORS }, (_, i) => ({
        telegramId: BigInt(10_000_000 + i), regions: [regions[i % regions.length], regions[(i + 7) % regions.length]].join(","),
        categories: [CATEGORIES[i % CATEGORIES.length], CATEGORIES[(i + 3) % CATEGORIES.length]].join(","), maxOpen: 500, openCases: 100 + (i % 50), supervisor: i % 50 === 0,
      })),
    });
    const coordinatorIds = (await db.coordinator.findMany({ select: { id: true } })).map((c) => c.id);
    await db.person.createMany({ data: Array.from({ length: 2000 }, (_, i) => ({ telegramId: BigInt(20_000_000 + i) })) });
    const requesters = (await db.person.findMany({ select: { id: true } })).map((p) => p.id);
    let update = 1;
    console.log(`\ncase creation, ${COORDINATORS} coordinators, ${SAMPLES} cases created per row, ${engine}`);
    await fillCases(db, 5_000, regions, requesters, coordinatorIds);
    // Warm-up (JIT, statement caches), not counted: the figures are for a bot that has been running.
    for (let i = 0; i < 200; i++) await createCase(db, () => new Date(), { requesterId: requesters[1]!, category: CATEGORIES[i % CATEGORIES.length]!, urgency: "normal", regionCode: regions[i % regions.length]!, description: "warm-up", attachments: [], sourceKey: `c:1:${update++}` }, settings);
    const p99small = await measure(db, "5,000 open cases", regions, requesters[0]!, () => update++);
    await fillCases(db, 50_000, regions, requesters, coordinatorIds);
    const p99large = await measure(db, "50,000 open cases", regions, requesters[0]!, () => update++);
    console.log(`p99 createCase at 50k: ${p99large.toFixed(2)} ms (target < 20 ms: ${p99large < 20 ? "met" : "NOT met"}); 50k/5k p99 ratio ${(p99large / p99small).toFixed(2)}`);
  } finally {
    await close();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "bot-bench-cases-"));
try {
  await benchCases(`file:${path.join(dir, "cases.db")}`, "SQLite (WAL), the default");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// PostgreSQL, for programmes running several bot processes: when a server answers (TEST_POSTGRES_URL).
if (postgresAvailable) {
  const url = emptyPostgresUrl();
  try {
    await benchCases(url, "PostgreSQL (local server, one process)");
  } finally {
    await dropPostgresSchema(url);
  }
}
