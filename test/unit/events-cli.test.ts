// `npm run admin -- event ... | series ...`: the example file creates an event; each bad file is one
// line, exit 2 and nothing written; publish and cancel; attendees as CSV (BOM, formulas escaped,
// header order) and XLSX (header row, a real date); figures per event, series and period.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { parse, stringify } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptySqliteUrl } from "../helpers/db.js";
import { participant, settings } from "../helpers/events.js";
import { runAdmin } from "../../src/cli/admin.js";
import { ADMINISTRATOR } from "../../src/cli/events.js";
import { formatLocal, localToUtc } from "../../src/cli/event-file.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { signUp } from "../../src/services/events/enrolment.js";
import type { Answers } from "../../src/services/events/rules.js";
import { checkIn } from "../../src/services/events/attendance.js";

const EXAMPLE = path.resolve("prisma/seed/examples/event.yaml");
const example = () => parse(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
const HEADER = ["Sign-up", "Name", "Region", "Role", "Status", "Adults", "Children", "T-shirt size", "Dietary needs (allergies, vegetarian)", "Do you need a transfer from the regional centre?", "Days attended", "Attendance dates", "Signed up"];

describe("events CLI", () => {
  let url: string;
  let dir: string;
  let opened: Database[];
  const open = async () => {
    const d = await openDatabase(url, { checkpointInBackground: false });
    opened.push(d);
    return d.prisma;
  };
  /** Writes an event file (named event.yaml) and returns its path. */
  const file = (content: Record<string, unknown>, name = "event.yaml") => {
    const f = path.join(mkdtempSync(path.join(dir, "f-")), name);
    writeFileSync(f, stringify(content));
    return f;
  };
  const admin = (...argv: string[]) => runAdmin(argv, url);
  const problem = async (argv: string[]) => admin(...argv).then(() => "no error", (err: Error) => err.message);

  beforeEach(() => {
    url = emptySqliteUrl();
    dir = mkdtempSync(path.join(tmpdir(), "evcli-"));
    opened = [];
  });
  afterEach(async () => {
    for (const d of opened) await d.close();
  });

  /** The example, published, with three people signed up (one with a formula-looking name) and one day marked. */
  async function campWithPeople(over: Record<string, unknown> = {}) {
    await admin("event", "create", "--file", file({ ...example(), ...over }), "--publish");
    const db = await open();
    const event = await db.event.findUniqueOrThrow({ where: { code: String(over.code ?? "camp-2027-summer") } });
    const people = [await participant(db, { regionCode: "RU-TAM" }), await participant(db, { regionCode: "RU-LIP" }), await participant(db, { regionCode: "RU-TAM" })];
    await db.profile.update({ where: { personId: people[0]! }, data: { fullName: '=HYPERLINK("http://evil.example","click")' } });
    await db.profile.update({ where: { personId: people[1]! }, data: { fullName: "Анна Петрова" } });
    const answers: Answers[] = [{ tshirt: "M", transfer: true, diet: "без глютена" }, { tshirt: "XL", transfer: false }, { tshirt: "S", transfer: true }];
    for (const [i, personId] of people.entries()) {
      const r = await signUp(db, () => new Date(), { eventId: event.id, personId, answers: answers[i], key: `t:${event.code}:${i}` }, settings);
      expect(r.outcome).toBe("confirmed");
    }
    expect((await checkIn(db, () => new Date(), { eventId: event.id, personId: people[1]!, day: "2027-07-12", by: ADMINISTRATOR })).result).toBe("marked");
    expect((await checkIn(db, () => new Date(), { eventId: event.id, personId: people[1]!, day: "2027-07-13", by: ADMINISTRATOR })).result).toBe("marked");
    return { db, event, people };
  }

  it("the example file creates a draft event, in its zone, with quotas, questions and what to bring", async () => {
    const r = await admin("event", "create", "--file", EXAMPLE);
    expect(r.out).toBe(
      "created (draft) event camp-2027-summer\n" +
        "deep link: ?start=ev_camp-2027-summer  (put the bot's link in front: https://t.me/<bot username>?start=ev_camp-2027-summer)\n" +
        "publish it with: npm run admin -- event publish camp-2027-summer",
    );
    const db = await open();
    const e = await db.event.findUniqueOrThrow({ where: { code: "camp-2027-summer" }, include: { quotas: true } });
    expect(e).toMatchObject({
      kind: "camp", status: "draft", timeZone: "Europe/Moscow", startsAt: new Date("2027-07-12T07:00:00Z"), endsAt: new Date("2027-07-15T13:00:00Z"),
      signUpUntil: new Date("2027-07-01T15:00:00Z"), regions: "RU-TAM,RU-LIP,RU-VOR,RU-RYA,RU-PNZ", audience: "graduate", minAge: 18, maxAge: 25, capacity: 40,
      needsApproval: false, maxAdults: 1, maxChildren: 0, createdBy: null, hasQuotas: true,
    });
    expect(e.quotas.map((q) => [q.regionCode, q.seats]).sort()).toEqual([["*", 10], ["RU-LIP", 6], ["RU-PNZ", 6], ["RU-RYA", 6], ["RU-TAM", 6], ["RU-VOR", 6]].sort());
    expect((JSON.parse(e.questions) as { id: string; type: string }[]).map((q) => `${q.id}:${q.type}`)).toEqual(["tshirt:choice", "diet:text", "transfer:yes_no"]);
    expect(JSON.parse(e.description).ru).toMatch(/\n\nЧто взять с собой: паспорт/);
    expect((await admin("event", "list")).out).toBe("no upcoming published events (--all lists every event)");
    expect((await admin("event", "list", "--all")).out).toMatch(/^camp-2027-summer\s+draft\s+2027-07-12 10:00 Europe\/Moscow\s+seats 0\/40\s+Летний выездной лагерь для выпускников$/);
  });

  const bad: [string, (f: Record<string, unknown>) => void, string][] = [
    ["a missing title", (f) => delete f.title, "event.yaml: title: missing"],
    ["a wrong kind", (f) => (f.kind = "party"), 'event.yaml: kind: must be one of training, seminar, camp, project, meeting (got "party")'],
    ["a misspelt field", (f) => ((f.capasity = 10), delete f.quotas), "event.yaml: capasity: unknown field"],
    ["an unknown time zone", (f) => (f.timeZone = "Europe/Atlantis"), 'event.yaml: timeZone: unknown time zone "Europe/Atlantis" (use an IANA name such as Europe/Moscow)'],
    ["a start in the past", (f) => Object.assign(f, { starts: "2020-07-12 10:00", ends: "2020-07-15 16:00", signupDeadline: undefined }), "event.yaml: starts: 2020-07-12 10:00 is in the past"],
    ["an end before the start", (f) => (f.ends = "2027-07-11 16:00"), "event.yaml: ends: must be after starts (2027-07-11 16:00 is not after 2027-07-12 10:00)"],
    ["a date that does not exist", (f) => (f.ends = "2027-07-32 16:00"), "event.yaml: ends: is not a real date and time (2027-07-32 16:00)"],
    ["a time without the date format", (f) => (f.starts = "12.07.2027 10:00"), 'event.yaml: starts: must be a local date and time "YYYY-MM-DD HH:MM"'],
    ["capacity 0", (f) => Object.assign(f, { capacity: 0, quotas: undefined }), "event.yaml: capacity: must be at least 1"],
    ["an unknown region", (f) => (f.regions = ["RU-TAM", "RU-LIP", "RU-VOR", "RU-RYA", "RU-PNZ", "RU-XXX"]), 'event.yaml: regions[5]: unknown region code "RU-XXX" (see: npm run admin -- region list)'],
    ["quotas over capacity", (f) => (f.capacity = 20), "event.yaml: quotas: 30 seats reserved, more than the capacity of 20"],
    ["an unknown series", (f) => (f.series = "nope"), 'event.yaml: series: unknown series "nope" (create it first: npm run admin -- series create --code nope --title "..." --complete-after N)'],
    ["a choice without options", (f) => delete (f.questions as Record<string, unknown>[])[0]!.options, "event.yaml: questions[0].options: missing (a choice needs its options)"],
    ["a wrong audience", (f) => (f.audience = ["graduates"]), 'event.yaml: audience[0]: must be one of graduate, family, service_member (got "graduates")'],
  ];
  for (const [what, spoil, line] of bad) {
    it(`${what}: one line, exit 2, nothing created`, async () => {
      const f = example();
      spoil(f);
      expect(await problem(["event", "create", "--file", file(JSON.parse(JSON.stringify(f)) as Record<string, unknown>), "--publish"])).toBe(line);
      expect(await (await open()).event.count()).toBe(0);
    });
  }

  it("by the real process: a bad file prints one line on stderr and exits 2; the example exits 0", () => {
    const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
    const r = run(["event", "create", "--file", file({ ...example(), capacity: 0, quotas: undefined })]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("event.yaml: capacity: must be at least 1\n");
    const ok = run(["event", "create", "--file", EXAMPLE, "--publish"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.split("\n")[0]).toBe("created and published event camp-2027-summer");
  }, 30_000);

  it("publish and cancel change the status; cancelling tells everyone signed up through the outbox", async () => {
    await admin("event", "create", "--file", EXAMPLE);
    expect((await admin("event", "publish", "camp-2027-summer")).out).toBe("published camp-2027-summer: people can see it and sign up (link ?start=ev_camp-2027-summer)");
    const db = await open();
    expect((await db.event.findUniqueOrThrow({ where: { code: "camp-2027-summer" } })).status).toBe("published");
    expect(await problem(["event", "publish", "camp-2027-summer"])).toBe("event camp-2027-summer is published: only a draft can be published");
    expect((await admin("event", "list")).out).toMatch(/^camp-2027-summer\s+published/);
    const event = await db.event.findUniqueOrThrow({ where: { code: "camp-2027-summer" } });
    const who = await participant(db, { regionCode: "RU-VOR" });
    expect((await signUp(db, () => new Date(), { eventId: event.id, personId: who, answers: { tshirt: "L", transfer: false }, key: "t:1" }, settings)).outcome).toBe("confirmed");
    expect((await admin("event", "cancel", "camp-2027-summer")).out).toBe("cancelled camp-2027-summer; 1 person(s) signed up will be told");
    expect((await db.event.findUniqueOrThrow({ where: { code: "camp-2027-summer" } })).status).toBe("cancelled");
    expect((await db.outbox.findMany({ where: { method: "event_cancelled" } })).length).toBe(1);
    expect(await problem(["event", "cancel", "camp-2027-summer"])).toBe("event camp-2027-summer is cancelled: it cannot be cancelled");
    expect(await problem(["event", "publish", "no-such"])).toBe('no event with code "no-such" (see: npm run admin -- event list --all)');
  });

  it("attendees as CSV: a BOM, the header in order, formula-looking names escaped, answers and days", async () => {
    await campWithPeople();
    const csv = (await admin("event", "attendees", "camp-2027-summer", "--format", "csv")).out;
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\n");
    expect(lines[0]).toBe('Sign-up,Name,Region,Role,Status,Adults,Children,T-shirt size,"Dietary needs (allergies, vegetarian)",Do you need a transfer from the regional centre?,Days attended,Attendance dates,Signed up');
    expect(lines[1]).toMatch(/^\d+,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",RU-TAM,graduate,confirmed,1,0,M,без глютена,yes,0,,\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines[2]).toMatch(/^\d+,Анна Петрова,RU-LIP,graduate,confirmed,1,0,XL,,no,2,"2027-07-12, 2027-07-13",/);
    expect(lines).toHaveLength(4);
    const out = path.join(dir, "people.csv");
    expect((await admin("event", "attendees", "camp-2027-summer", "--format", "csv", "--out", out)).out).toBe(`wrote 3 row(s) to ${out}`);
    expect(readFileSync(out, "utf8")).toBe(`${csv}\n`);
    expect(await problem(["event", "attendees", "camp-2027-summer", "--format", "xlsx"])).toMatch(/^--format xlsx needs --out FILE\.xlsx/);
  });

  it("event attendance imports a CSV by sign-up number (the export's first column): a summary with line numbers; again, nothing twice", async () => {
    const { db, event, people } = await campWithPeople();
    const ids = (await db.enrolment.findMany({ where: { eventId: event.id }, orderBy: { id: "asc" } })).map((e) => e.id);
    const csv = path.join(dir, "att.csv");
    writeFileSync(csv, `Sign-up,Date\n${ids[0]},2027-07-12\n${ids[1]},2027-07-12\n${ids[2]},2027-07-20\nfoo,bar\n`);
    expect((await admin("event", "attendance", "camp-2027-summer", "--file", csv)).out).toBe("marked 1, already marked 1, not marked 2\nline 4: wrong day\nline 5: bad row");
    expect((await admin("event", "attendance", "camp-2027-summer", "--file", csv)).out).toMatch(/^marked 0, already marked 2,/);
    expect(await db.attendance.count({ where: { enrolment: { personId: people[0]! } } })).toBe(1);
    expect(await problem(["event", "attendance", "camp-2027-summer"])).toMatch(/^event attendance needs --file att\.csv/);
    expect(await problem(["event", "attendance", "camp-2027-summer", "--file", path.join(dir, "none.csv")])).toBe("none.csv: cannot be read (ENOENT)");
  });

  it("attendees as XLSX: opens with exceljs, a bold header row, the sign-up time a real date", async () => {
    await campWithPeople();
    const out = path.join(dir, "people.xlsx");
    expect((await admin("event", "attendees", "camp-2027-summer", "--format", "xlsx", "--out", out)).out).toBe(`wrote 3 row(s) to ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("Attendees")!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.rowCount).toBe(4);
    const signed = ws.getRow(2).getCell(HEADER.indexOf("Signed up") + 1);
    expect(signed.value).toBeInstanceOf(Date);
    // Shown as the wall-clock time in the event's zone, as in the CSV.
    const csvSigned = (await admin("event", "attendees", "camp-2027-summer", "--format", "csv")).out.split("\n")[1]!.split(",").at(-1);
    expect((signed.value as Date).toISOString().slice(0, 16).replace("T", " ")).toBe(csvSigned);
    expect(signed.numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(ws.getRow(2).getCell(2).value).toBe('=HYPERLINK("http://evil.example","click")'); // text, not a formula
    expect(ws.getRow(3).getCell(HEADER.indexOf("Days attended") + 1).value).toBe(2);
    expect(ws.getColumn(2).width).toBe(30);
  });

  it("figures per event, series and period, printed and as CSV/XLSX", async () => {
    expect((await admin("series", "create", "--code", "grads-2027", "--title", "Школа выпускника 2027", "--complete-after", "1")).out).toBe(
      'created series grads-2027 (complete after 1 event(s)); events join it with "series: grads-2027" in their file',
    );
    expect(await problem(["series", "create", "--code", "grads-2027", "--title", "x", "--complete-after", "1"])).toBe("series grads-2027 already exists");
    await campWithPeople({ series: "grads-2027" });
    const printed = (await admin("event", "figures", "camp-2027-summer")).out.split("\n");
    const value = (k: string) => printed.find((l) => l.startsWith(`${k}:`))?.slice(29);
    expect([value("signed up"), value("confirmed"), value("confirmed seats"), value("waiting"), value("attended"), value("no-shows")]).toEqual(["3", "3", "3", "0", "1", "- (not ended yet)"]);
    expect([value("region RU-LIP confirmed"), value("region RU-LIP attended"), value("region RU-TAM confirmed"), value("region RU-TAM attended"), value("role graduate confirmed")]).toEqual(["1", "1", "2", "0", "3"]);
    const series = (await admin("series", "figures", "grads-2027")).out;
    expect(series).toBe(["series:                      grads-2027", "title:                       Школа выпускника 2027", "complete after:              1", "events:                      1", "participants:                1", "completed:                   1"].join("\n"));
    const period = (await admin("event", "figures", "--from", "2027-07-01", "--to", "2027-07-31")).out;
    expect(period).toBe(["period:                      2027-07-01 to 2027-07-31 (UTC, both days included)", "events held:                 1", "participants:                1", "attendances:                 1"].join("\n"));
    expect((await admin("event", "figures", "--from", "2027-08-01", "--to", "2027-08-31")).out).toMatch(/events held:\s+0/);
    const csv = (await admin("event", "figures", "camp-2027-summer", "--format", "csv")).out;
    expect(csv.split("\n").slice(0, 2)).toEqual(["\uFEFFFigure,Value", "event,camp-2027-summer"]);
    expect(csv).toContain("\nsigned up,3\n");
    const xlsx = path.join(dir, "figures.xlsx");
    await admin("series", "figures", "grads-2027", "--format", "xlsx", "--out", xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet("Series")!.getRow(7).values).toEqual([undefined, "completed", 1]);
    expect(await problem(["event", "figures", "--from", "2027-07-01"])).toMatch(/^event figures for a period needs --from YYYY-MM-DD --to YYYY-MM-DD/);
  });

  it("coordinator update --organiser gives the right to run events; --no-organiser takes it", async () => {
    await admin("coordinator", "add", "--telegram-id", "555", "--categories", "payments");
    expect((await admin("coordinator", "update", "--telegram-id", "555", "--organiser")).out).toMatch(/, organiser\)$/);
    const db = await open();
    expect((await db.coordinator.findUniqueOrThrow({ where: { telegramId: 555n } })).organiser).toBe(true);
    expect((await admin("coordinator", "update", "--telegram-id", "555", "--no-organiser")).out).not.toMatch(/organiser/);
    expect((await db.coordinator.findUniqueOrThrow({ where: { telegramId: 555n } })).organiser).toBe(false);
  });

  it("local times are read in the event's zone, across clock changes", () => {
    expect(localToUtc("2027-07-12 10:00", "Europe/Vilnius")).toEqual(new Date("2027-07-12T07:00:00Z"));
    expect(localToUtc("2027-01-12 10:00", "Europe/Vilnius")).toEqual(new Date("2027-01-12T08:00:00Z"));
    expect(localToUtc("2027-01-12 10:00", "Asia/Vladivostok")).toEqual(new Date("2027-01-12T00:00:00Z"));
    expect(localToUtc("2027-03-28 03:30", "Europe/Vilnius")).toBe("does not exist in Europe/Vilnius (the clocks change then)");
    expect(localToUtc("2027-02-29 10:00", "Europe/Moscow")).toBe("is not a real date and time (2027-02-29 10:00)");
    expect(formatLocal(new Date("2027-10-31T00:30:00Z"), "Europe/Vilnius")).toBe("2027-10-31 03:30");
  });
});
