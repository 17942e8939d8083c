// Figures for a period (in the programme's zone), who may see which regions, and the exports: CSV
// with a BOM and escaped formulas, XLSX read back with exceljs (header in the chosen language, dates
// as dates), contacts only when asked and audited, erased people counted but anonymous; the CLI's
// bad arguments give one line and a non-zero exit.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptySqliteUrl } from "../helpers/db.js";
import { runAdmin } from "../../src/cli/admin.js";
import { openDatabase, type Database, type Db } from "../../src/db/client.js";
import { caseFigures, namedPeriod, parsePeriod, peopleFigures, quantile, reportScope, mayExportContacts, casesPerWeek } from "../../src/services/reports/figures.js";

const TZ = "Europe/Moscow";
const NOW = new Date("2026-11-23T12:00:00Z");
const ACK = { normal: 1800, urgent: 600 };
const at = (s: string) => new Date(s);

let tg = 50_000;
async function person(db: Db, over: { role?: string; region?: string | null; registeredAt?: Date; name?: string; phone?: string; erased?: boolean } = {}) {
  const p = await db.person.create({ data: { telegramId: BigInt(tg++), locale: "ru" } });
  await db.profile.create({
    data: {
      personId: p.id, role: over.role ?? "family", regionCode: over.region === undefined ? "RU-TAM" : over.region, registeredAt: over.registeredAt ?? at("2026-10-05T10:00:00Z"),
      fullName: over.erased ? null : over.name ?? "Мария Иванова", phone: over.erased ? null : over.phone ?? "+79001234567", erasedAt: over.erased ? at("2026-10-20T10:00:00Z") : null,
    },
  });
  return p.id;
}

let n = 1;
async function kase(db: Db, requesterId: number, over: { region?: string; category?: string; status?: string; created?: Date; firstMin?: number; resolvedH?: number; rating?: number; urgency?: string } = {}) {
  const created = over.created ?? at("2026-10-10T09:00:00Z");
  return db.case.create({
    data: {
      number: `A-${n++}`, requesterId, category: over.category ?? "payments", regionCode: over.region ?? "RU-TAM", urgency: over.urgency ?? "normal", status: over.status ?? "resolved",
      createdAt: created, lastActivityAt: created,
      firstResponseAt: over.firstMin === undefined ? null : new Date(created.getTime() + over.firstMin * 60_000),
      resolvedAt: over.resolvedH === undefined ? null : new Date(created.getTime() + over.resolvedH * 3_600_000),
      rating: over.rating ?? null,
    },
  });
}

describe("periods in the programme's zone", () => {
  it("default to the last calendar month, midnight to midnight in Moscow", () => {
    const p = parsePeriod(undefined, undefined, NOW, TZ);
    expect(p).toEqual({ from: at("2026-09-30T21:00:00Z"), to: at("2026-10-31T21:00:00Z") });
    expect(namedPeriod("last_month", at("2026-01-10T00:00:00Z"), TZ).from).toEqual(at("2025-11-30T21:00:00Z"));
  });
  it("take --from and --to with both days included", () => {
    expect(parsePeriod("2026-01-01", "2026-03-31", NOW, TZ)).toEqual({ from: at("2025-12-31T21:00:00Z"), to: at("2026-03-31T21:00:00Z") });
  });
  it("name what is wrong in one line", () => {
    expect(parsePeriod("2026-03-31", "2026-01-01", NOW, TZ)).toBe("--to (2026-01-01) is before --from (2026-03-31)");
    expect(parsePeriod("2026-02-30", "2026-03-01", NOW, TZ)).toBe("--from is not a real date (2026-02-30)");
    expect(parsePeriod("yesterday", "2026-03-01", NOW, TZ)).toBe("--from must be a date YYYY-MM-DD");
  });
  it("quantiles by nearest rank", () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe("who sees which figures", () => {
  const staff = (o: Partial<{ active: boolean; supervisor: boolean; regions: string }>) => ({ id: 1, active: true, supervisor: false, regions: "", ...o });
  it("administrators everything, supervisors their regions, others nothing", () => {
    expect(reportScope({ admin: true })).toEqual({ regions: null });
    expect(reportScope({ coordinator: staff({ supervisor: true, regions: "RU-TAM,RU-LIP" }) })).toEqual({ regions: ["RU-TAM", "RU-LIP"] });
    expect(reportScope({ coordinator: staff({ supervisor: true }) })).toEqual({ regions: null });
    expect(reportScope({ coordinator: staff({ regions: "RU-TAM" }) })).toBeNull();
    expect(reportScope({ coordinator: staff({ supervisor: true, active: false }) })).toBeNull();
    expect(reportScope({})).toBeNull();
  });
  it("contacts only for administrators, never for a supervisor", () => {
    expect(mayExportContacts({ admin: true })).toBe(true);
    expect(mayExportContacts({ coordinator: staff({ supervisor: true }) })).toBe(false);
  });
});

describe("figures and exports", () => {
  let url: string;
  let database: Database;
  let db: Db;
  let dir: string;
  beforeEach(async () => {
    url = emptySqliteUrl();
    await runAdmin(["region", "list"], url); // migrates and seeds regions
    database = await openDatabase(url, { checkpointInBackground: false });
    db = database.prisma;
    dir = mkdtempSync(path.join(tmpdir(), "reports-"));
    const a = await person(db, { name: '=HYPERLINK("http://evil.example","click")' });
    const b = await person(db, { role: "graduate", region: "RU-LIP" });
    await person(db, { erased: true });
    await person(db, { registeredAt: at("2026-11-02T10:00:00Z") }); // next month
    // October (Moscow): first responses 10, 20, 40, 90 minutes; one urgent answered after 20 (late).
    await kase(db, a, { firstMin: 10, resolvedH: 2, rating: 5 });
    await kase(db, a, { firstMin: 20, resolvedH: 30, rating: 3, category: "legal" });
    await kase(db, a, { firstMin: 40, status: "in_progress" });
    await kase(db, b, { region: "RU-LIP", firstMin: 90, status: "cancelled" });
    await kase(db, b, { region: "RU-LIP", firstMin: 20, urgency: "urgent", status: "new" });
    await kase(db, a, { created: at("2026-09-30T20:59:00Z") }); // 23:59 on 30 September in Moscow: not October
  });
  afterEach(async () => database.close());

  const october = () => parsePeriod("2026-10-01", "2026-10-31", NOW, TZ) as Exclude<ReturnType<typeof parsePeriod>, string>;

  it("count cases, times, ratings and people of the period; erased people still count", async () => {
    const f = await caseFigures(db, october(), { regions: null }, ACK);
    expect(f).toMatchObject({ opened: 5, resolved: 2, cancelled: 1, stillOpen: 2, ratings: 2, ratingAverage: 4 });
    expect(f.firstResponse).toEqual({ median: 20 * 60, p90: 90 * 60 });
    expect(f.resolution).toEqual({ median: 2 * 3600, p90: 30 * 3600 });
    expect(f.answeredInTime).toBeCloseTo(2 / 5); // 10 and 20 minutes of normal cases; 40, 90 late; urgent 20 > 10 late
    expect(f.byCategory[0]).toEqual({ key: "payments", count: 4 });
    const p = await peopleFigures(db, october(), { regions: null });
    expect(p).toMatchObject({ registered: 3, erased: 1, active: 2 });
  });

  it("a supervisor's scope counts only their regions", async () => {
    const f = await caseFigures(db, october(), { regions: ["RU-LIP"] }, ACK);
    expect(f.opened).toBe(2);
    expect(f.byRegion).toEqual([{ key: "RU-LIP", count: 2 }]);
    const p = await peopleFigures(db, october(), { regions: ["RU-LIP"] });
    expect(p.registered).toBe(1);
    const weeks = await casesPerWeek(db, at("2026-10-20T12:00:00Z"), TZ, { regions: ["RU-LIP"] });
    expect(weeks).toHaveLength(12);
    expect(weeks.reduce((s, w) => s + Object.values(w.byStatus).reduce((a, b) => a + b, 0), 0)).toBe(2);
  });

  it("CSV: BOM, header in the chosen language, formulas escaped, no contacts unless asked", async () => {
    const r = await runAdmin(["report", "cases", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv", "--lang", "en"], url);
    expect(r.out.startsWith("\uFEFFNumber,Opened,First response,Resolved,Region,Kind of help")).toBe(true);
    expect(r.out).not.toContain("Иванова");
    expect(r.out).not.toContain("+7900");
    expect(r.out.split("\n")).toHaveLength(6);
    const out = path.join(dir, "cases.csv");
    await runAdmin(["report", "cases", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv", "--out", out, "--with-contacts"], url);
    const csv = readFileSync(out, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("ФИО,Телефон");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain("2026-10-10 12:00"); // 09:00 UTC read in Moscow
    const audit = await db.auditEvent.findMany({ where: { action: { startsWith: "report." } } });
    expect(audit.map((a) => a.action)).toEqual(["report.exported", "report.exported_contacts"]);
    expect(audit[1]!.detail).not.toContain("Иванова");
  });

  it("people: erased people are counted, anonymous even with contacts", async () => {
    const r = await runAdmin(["report", "people", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv", "--with-contacts"], url);
    const rows = r.out.split("\n").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows.filter((x) => x.includes("(данные удалены)"))).toHaveLength(1);
  });

  it("XLSX: header row in the chosen language, widths, dates as dates", async () => {
    const out = path.join(dir, "cases.xlsx");
    const r = await runAdmin(["report", "cases", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "xlsx", "--out", out, "--lang", "lt"], url);
    expect(r.out).toBe(`wrote 5 row(s) to ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("Prašymai");
    expect(ws.getRow(1).getCell(1).value).toBe("Numeris");
    expect(ws.getRow(1).getCell(2).value).toBe("Pateiktas");
    const opened = ws.getRow(2).getCell(2).value;
    expect(opened).toBeInstanceOf(Date);
    expect((opened as Date).toISOString()).toBe("2026-10-10T12:00:00.000Z"); // wall clock in Moscow
    expect(ws.getColumn(6).width).toBeGreaterThan(10);
    const coords = path.join(dir, "coordinators.xlsx");
    await runAdmin(["report", "coordinators", "--format", "xlsx", "--out", coords], url);
    await wb.xlsx.readFile(coords);
  });

  it("bad arguments: one clear line each", async () => {
    const problem = (argv: string[]) => runAdmin(argv, url).then(() => "no error", (err: Error) => err.message);
    const lines = [
      await problem(["report", "cases", "--from", "2026-03-31", "--to", "2026-01-01", "--format", "csv"]),
      await problem(["report", "cases", "--format", "csv", "--region", "RU-XXX"]),
      await problem(["report", "cases", "--format", "pdf"]),
      await problem(["report", "bananas"]),
      await problem(["report", "cases", "--format", "xlsx"]),
      await problem(["broadcast", "--file", "/nonexistent.md", "--to", "all"]),
    ];
    expect(lines).toEqual([
      "--to (2026-01-01) is before --from (2026-03-31)",
      'unknown region "RU-XXX" (see: npm run admin -- region list)',
      '--format must be csv or xlsx (got "pdf")',
      'report needs one of: figures, cases, people, coordinators (got "bananas")',
      "--format xlsx needs --out FILE.xlsx (a spreadsheet is not printed)",
      "cannot read /nonexistent.md",
    ]);
    const msg = path.join(dir, "m.md");
    writeFileSync(msg, "Завтра семинар");
    expect(await problem(["broadcast", "--file", msg, "--to", "role=pirate"])).toBe('unknown role "pirate" (one of graduate, family, service_member)');
    expect(await problem(["broadcast", "--file", msg, "--to", "region=RU-XXX"])).toBe('unknown region "RU-XXX" (see: npm run admin -- region list)');
  });

  it("the process exits non-zero with the line on stderr", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", "report", "cases", "--from", "2026-03-31", "--to", "2026-01-01", "--format", "csv"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("--to (2026-01-01) is before --from (2026-03-31)");
    expect(run.stdout).toBe("");
  });
});
