import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { findRegion, regionSeed, searchRegions, seedRegions, setRegionEnabled } from "../../src/services/regions.js";

describe("region data", () => {
  it("has every ISO 3166-2 federal subject code of Russia and the 10 Lithuanian counties, each once", () => {
    const rows = regionSeed();
    expect(rows.filter((r) => r.country === "RU")).toHaveLength(83);
    expect(rows.filter((r) => r.country === "LT")).toHaveLength(10);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    for (const r of rows) expect(r.code).toMatch(/^(RU-[A-Z]{2,3}|LT-[A-Z]{2})$/);
    for (const code of ["RU-TAM", "RU-LIP", "RU-KEM", "RU-KHA", "RU-MOW", "LT-VL", "LT-KU"]) expect(rows.some((r) => r.code === code)).toBe(true);
    expect(rows.filter((r) => r.country === "LT").every((r) => r.nameLt)).toBe(true);
  });
});

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`regions (${engine.name})`, () => {
    let db: TestDb;
    beforeEach(async () => {
      db = await engine.create();
    });
    afterEach(async () => db.dispose());

    it("finds by part of a name in any language, ё or е, or by code", async () => {
      const codes = async (q: string, c = ["RU"]) => (await searchRegions(db.prisma, q, c)).regions.map((r) => r.code);
      expect(await codes("тамб")).toEqual(["RU-TAM"]);
      expect(await codes("ТАМБОВ")).toEqual(["RU-TAM"]);
      expect(await codes("tambov")).toEqual(["RU-TAM"]);
      expect(await codes("ru-tam")).toEqual(["RU-TAM"]);
      expect(await codes("кузбасс")).toEqual(["RU-KEM"]);
      expect(await codes("Москва")).toEqual(["RU-MOW"]);
      expect((await codes("моск")).sort()).toEqual(["RU-MOS", "RU-MOW"]);
      expect(await codes("viln", ["LT"])).toEqual(["LT-VL"]);
      expect(await codes("šiaul", ["LT"])).toEqual(["LT-SA"]);
      expect(await codes("siaul", ["LT"])).toEqual(["LT-SA"]);
      expect(await codes("viln", ["RU"])).toEqual([]);
      expect(await codes("т")).toEqual([]); // too short to mean anything
    });

    it("seeding is idempotent and keeps what administrators switched off", async () => {
      expect(await setRegionEnabled(db.prisma, "RU-TAM", false)).toBe(true);
      expect(await setRegionEnabled(db.prisma, "RU-NOPE", false)).toBe(false);
      expect(await seedRegions(db.prisma)).toBe(0);
      expect((await db.prisma.region.findUniqueOrThrow({ where: { code: "RU-TAM" } })).enabled).toBe(false);
      expect((await searchRegions(db.prisma, "тамб", ["RU"])).total).toBe(0);
      expect(await findRegion(db.prisma, "RU-TAM", ["RU"])).toBeNull();
      expect(await db.prisma.region.count()).toBe(93);
    });
  });
}

describe("admin CLI: regions", () => {
  const run = (args: string[], url: string) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  it("lists, disables and enables regions, and refuses unknown codes with a non-zero exit", async () => {
    const db = await ENGINES[0].create();
    try {
      const off = run(["region", "disable", "RU-TAM", "ru-lip"], db.url);
      expect(off.status).toBe(0);
      expect(off.stdout).toContain("disabled: RU-TAM, RU-LIP");
      const list = run(["region", "list", "--country", "RU"], db.url);
      expect(list.stdout).toMatch(/RU-TAM\s+off Тамбовская область/);
      expect(list.stdout.trim().split("\n")).toHaveLength(83);
      const bad = run(["region", "disable", "RU-XYZ"], db.url);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("unknown region code: RU-XYZ");
      expect(run(["bogus"], db.url).status).toBe(2);
      expect(run(["region", "enable", "RU-TAM"], db.url).status).toBe(0);
      expect((await db.prisma.region.findUniqueOrThrow({ where: { code: "RU-TAM" } })).enabled).toBe(true);
    } finally {
      await db.dispose();
    }
  }, 60_000);
});

describe("admin CLI: coordinators", () => {
  const run = (args: string[], url: string) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  it("adds, lists, updates and removes coordinators, with clear errors and non-zero exits", async () => {
    const db = await ENGINES[0].create();
    try {
      const add = run(["coordinator", "add", "--telegram-id", "555", "--regions", "RU-TAM,RU-LIP", "--categories", "payments,legal", "--max-open", "7"], db.url);
      expect(add.stderr).toBe("");
      expect(add.stdout).toContain("added coordinator 555 (regions: RU-TAM,RU-LIP, categories: payments,legal, max open 7)");
      expect(add.stdout).toContain("opened the bot in Telegram and pressed Start");
      const badRegion = run(["coordinator", "add", "--telegram-id", "556", "--regions", "RU-XXX", "--categories", "payments"], db.url);
      expect(badRegion.status).toBe(2);
      expect(badRegion.stderr).toContain("unknown region: RU-XXX");
      const badCat = run(["coordinator", "add", "--telegram-id", "556", "--categories", "money"], db.url);
      expect(badCat.status).toBe(2);
      expect(badCat.stderr).toContain("unknown category: money");
      expect(run(["coordinator", "add", "--regions", "RU-TAM", "--categories", "payments"], db.url).status).toBe(2);
      expect(run(["coordinator", "add", "--telegram-id", "556", "--wat"], db.url).status).toBe(2);
      const upd = run(["coordinator", "update", "--telegram-id", "555", "--categories", "health", "--supervisor"], db.url);
      expect(upd.stdout).toContain("categories: health, max open 7, supervisor");
      expect(run(["coordinator", "update", "--telegram-id", "999", "--max-open", "3"], db.url).stderr).toContain("no coordinator with telegram id 999");
      expect(run(["coordinator", "list"], db.url).stdout).toMatch(/555\s+on duty\s+supervisor open 0\/7\s+regions: RU-TAM,RU-LIP\s+categories: health/);
      const rm = run(["coordinator", "remove", "--telegram-id", "555"], db.url);
      expect(rm.stdout).toContain("removed coordinator 555; 0 open case(s) handed to others");
      expect((await db.prisma.coordinator.findFirstOrThrow()).active).toBe(false);
    } finally {
      await db.dispose();
    }
  }, 90_000);
});
