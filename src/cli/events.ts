// `npm run admin -- event ...` and `series ...`: events from the command line, as the programme's
// administrator (the services' Organiser with admin: true, which needs no coordinator row).
//   event create --file event.yaml [--publish]      a draft (or published) event from a YAML file
//   event list [--all]                              upcoming published events, or every event with its status
//   event publish CODE | event cancel CODE          cancelling tells everyone signed up (the service's outbox)
//   event attendees CODE --format csv|xlsx [--out FILE]   one row per sign-up
//   event attendance CODE --file att.csv            marks attendance: rows "sign-up number, day" (the same import as the bot's)
//   event figures CODE | event figures --from YYYY-MM-DD --to YYYY-MM-DD   [--format csv|xlsx --out FILE]
//   series create --code C --title "..." --complete-after N | series figures CODE
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.js";
import type { Clock } from "../services/clock.js";
import { cancelEvent, createEvent, createSeries, publishEvent } from "../services/events/organise.js";
import { eventFigures, periodFigures, seriesFigures } from "../services/events/figures.js";
import { questionsOf } from "../services/events/rules.js";
import { importAttendance, IMPORT_MAX_ROWS } from "../services/events/attendance-import.js";
import type { Organiser } from "../services/events/settings.js";
import { formatLocal, readEventFile } from "./event-file.js";
import type { CliOutput } from "./knowledge.js";
import { toCsv, toXlsx, type Table } from "../services/reports/exports.js";

export class EventsUsageError extends Error {}

/** The CLI is the programme's administrator: allowed everything an organiser is, without a coordinator row. */
export const ADMINISTRATOR: Organiser = { coordinatorId: 0, admin: true };

export const EVENTS_USAGE = `  npm run admin -- event create --file event.yaml [--publish]
  npm run admin -- event list [--all]
  npm run admin -- event publish CODE
  npm run admin -- event cancel CODE
  npm run admin -- event attendees CODE --format csv|xlsx [--out FILE]
  npm run admin -- event attendance CODE --file att.csv
  npm run admin -- event figures CODE [--format csv|xlsx --out FILE]
  npm run admin -- event figures --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|xlsx --out FILE]
  npm run admin -- series create --code CODE --title "..." --complete-after N
  npm run admin -- series figures CODE [--format csv|xlsx --out FILE]`;

export interface EventOptions {
  file?: string;
  publish?: boolean;
  all?: boolean;
  format?: string;
  out?: string;
  from?: string;
  to?: string;
  code?: string;
  title?: string;
  "complete-after"?: string;
}

const usage = (line: string) => new EventsUsageError(`${line}\nusage:\n${EVENTS_USAGE}`);
const titleOf = (json: string) => (JSON.parse(json) as Record<string, string>).ru ?? "";

async function eventNamed(db: Db, code: string | undefined, action: string) {
  if (!code) throw usage(`event ${action} needs the event's code`);
  const e = await db.event.findUnique({ where: { code } });
  if (!e) throw new EventsUsageError(`no event with code "${code}" (see: npm run admin -- event list --all)`);
  return e;
}

// ---- tables: printed, CSV or XLSX (the writers: services/reports/exports.ts) ------------------

/** Prints a table, writes it as CSV (stdout or --out) or XLSX (--out). */
async function emit(t: Table, o: EventOptions, printed: () => string, tz?: string): Promise<string> {
  if (o.format === undefined) {
    if (o.out) throw usage("--out needs --format csv or xlsx");
    return printed();
  }
  if (o.format === "csv") {
    const csv = toCsv(t, tz);
    if (!o.out) return csv.replace(/\n$/, "");
    await writeFile(o.out, csv);
    return `wrote ${t.rows.length} row(s) to ${o.out}`;
  }
  if (o.format === "xlsx") {
    if (!o.out) throw usage("--format xlsx needs --out FILE.xlsx (a spreadsheet is not printed)");
    await writeFile(o.out, await toXlsx(t, tz));
    return `wrote ${t.rows.length} row(s) to ${o.out}`;
  }
  throw usage(`--format must be csv or xlsx (got ${o.format})`);
}

const pairs = (rows: [string, string | number][]) => rows.map(([k, v]) => `${`${k}:`.padEnd(28)} ${v}`).join("\n");
const pairTable = (sheet: string, rows: [string, string | number][]): Table => ({ sheet, columns: [{ header: "Figure", width: 34 }, { header: "Value", width: 14 }], rows });

// ---- commands ------------------------------------------------------------------------------------

async function create(db: Db, clock: Clock, o: EventOptions): Promise<CliOutput> {
  if (!o.file) throw usage("event create needs --file event.yaml");
  const name = path.basename(o.file);
  let source: string;
  try {
    source = await readFile(o.file, "utf8");
  } catch (err) {
    throw new EventsUsageError(`${name}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const read = await readEventFile(db, clock(), name, source);
  if ("problems" in read) throw new EventsUsageError(read.problems.join("\n"));
  const made = await createEvent(db, clock, read.event, ADMINISTRATOR);
  if (made === "not_allowed") throw new Error("the administrator was refused by the events service");
  if ("invalid" in made) throw new EventsUsageError(`${name}: ${made.invalid}: not accepted by the events service`);
  const published = o.publish ? await publishEvent(db, clock, made.id, ADMINISTRATOR) : false;
  const code = read.event.code;
  return {
    out: [
      `${published ? "created and published" : "created (draft)"} event ${code}`,
      `deep link: ?start=ev_${code}  (put the bot's link in front: https://t.me/<bot username>?start=ev_${code})`,
      ...(published ? [] : [`publish it with: npm run admin -- event publish ${code}`]),
    ].join("\n"),
  };
}

async function list(db: Db, clock: Clock, o: EventOptions): Promise<string> {
  const rows = await db.event.findMany({
    where: o.all ? {} : { status: "published", startsAt: { gt: clock() } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  if (!rows.length) return o.all ? "no events yet" : "no upcoming published events (--all lists every event)";
  return rows
    .map((e) => [e.code.padEnd(24), e.status.padEnd(9), `${formatLocal(e.startsAt, e.timeZone)} ${e.timeZone}`.padEnd(34), `seats ${e.seatsTaken}/${e.capacity ?? "-"}`.padEnd(14), titleOf(e.title)].join(" "))
    .join("\n");
}

async function attendees(db: Db, code: string | undefined, o: EventOptions): Promise<string> {
  const e = await eventNamed(db, code, "attendees");
  if (o.format === undefined) throw usage("event attendees needs --format csv|xlsx");
  const questions = questionsOf(e.questions);
  const rows = await db.enrolment.findMany({
    where: { eventId: e.id },
    orderBy: { id: "asc" },
    include: { person: { select: { profile: { select: { fullName: true, erasedAt: true } } } }, attendance: { select: { day: true }, orderBy: { day: "asc" } } },
  });
  const answer = (json: string | null, id: string) => {
    const a = json ? (JSON.parse(json) as Record<string, string | boolean>)[id] : undefined;
    return a === undefined ? "" : a === true ? "yes" : a === false ? "no" : a;
  };
  const table: Table = {
    sheet: "Attendees",
    columns: [
      { header: "Sign-up", width: 9 }, { header: "Name", width: 30 }, { header: "Region", width: 10 }, { header: "Role", width: 16 }, { header: "Status", width: 18 },
      { header: "Adults", width: 8 }, { header: "Children", width: 10 },
      ...questions.map((q) => ({ header: q.label.en ?? q.label.ru ?? q.id, width: 24 })),
      { header: "Days attended", width: 14 }, { header: "Attendance dates", width: 26 }, { header: "Signed up", width: 18, date: true },
    ],
    rows: rows.map((r) => [
      r.id, r.person.profile?.erasedAt ? "(erased)" : r.person.profile?.fullName ?? "", r.regionCode ?? "", r.role ?? "", r.status, r.adults, r.children,
      ...questions.map((q) => answer(r.answers, q.id)),
      r.attendance.length, r.attendance.map((a) => a.day).join(", "), r.createdAt,
    ]),
  };
  return emit(table, o, () => "", e.timeZone);
}

async function figures(db: Db, clock: Clock, code: string | undefined, o: EventOptions): Promise<string> {
  if (code === undefined && (o.from || o.to)) {
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!o.from || !o.to || !day.test(o.from) || !day.test(o.to)) throw usage("event figures for a period needs --from YYYY-MM-DD --to YYYY-MM-DD");
    const from = new Date(`${o.from}T00:00:00Z`);
    const to = new Date(new Date(`${o.to}T00:00:00Z`).getTime() + 86_400_000);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) throw new EventsUsageError("--to must be a real date, on or after --from");
    const f = await periodFigures(db, from, to);
    const rows: [string, string | number][] = [["period", `${o.from} to ${o.to} (UTC, both days included)`], ["events held", f.eventsHeld], ["participants", f.participants], ["attendances", f.attendances]];
    return emit(pairTable("Period", rows), o, () => pairs(rows));
  }
  const e = await eventNamed(db, code, "figures");
  const f = (await eventFigures(db, clock, e.id))!;
  const rows: [string, string | number][] = [
    ["event", e.code], ["title", titleOf(e.title)], ["status", e.status], ["starts", `${formatLocal(e.startsAt, e.timeZone)} ${e.timeZone}`],
    ["capacity", e.capacity ?? "unlimited"],
    ["signed up", f.signedUp], ["confirmed", f.confirmed], ["confirmed seats", f.confirmedSeats], ["waiting", f.waiting], ["offered a seat", f.offered],
    ["awaiting approval", f.pendingApproval], ["approved", f.approved], ["rejected", f.rejected], ["cancelled", f.cancelled],
    ["attended", f.attended], ["no-shows", f.noShows ?? "- (not ended yet)"],
    ...f.byRegion.flatMap((b): [string, number][] => [[`region ${b.key} confirmed`, b.confirmed], [`region ${b.key} attended`, b.attended]]),
    ...f.byRole.flatMap((b): [string, number][] => [[`role ${b.key} confirmed`, b.confirmed], [`role ${b.key} attended`, b.attended]]),
  ];
  return emit(pairTable("Event", rows), o, () => pairs(rows));
}

/** Marks attendance from a CSV file, through the bot's import (services/events/attendance-import.ts). */
async function attendance(db: Db, clock: Clock, code: string | undefined, o: EventOptions): Promise<CliOutput> {
  const e = await eventNamed(db, code, "attendance");
  if (!o.file) throw usage("event attendance needs --file att.csv (rows: sign-up number, day YYYY-MM-DD)");
  let csv: string;
  try {
    csv = await readFile(o.file, "utf8");
  } catch (err) {
    throw new EventsUsageError(`${path.basename(o.file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const r = await importAttendance(db, clock, { eventId: e.id, csv, by: ADMINISTRATOR });
  if (r === "too_long") throw new EventsUsageError(`${path.basename(o.file)}: more than ${IMPORT_MAX_ROWS} rows; split the file`);
  if (typeof r === "string") throw new Error(`the events service refused the import (${r})`);
  const lines = [`marked ${r.marked}, already marked ${r.already}, not marked ${r.problems.length}`, ...r.problems.map((p) => `line ${p.line}: ${p.problem.replace("_", " ")}`)];
  return { out: lines.join("\n") };
}

export async function eventCommand(db: Db, clock: Clock, action: string | undefined, args: string[], o: EventOptions): Promise<CliOutput> {
  if (action === "create") return create(db, clock, o);
  if (action === "list") return { out: await list(db, clock, o) };
  if (action === "publish") {
    const e = await eventNamed(db, args[0], "publish");
    if (e.status !== "draft") throw new EventsUsageError(`event ${e.code} is ${e.status}: only a draft can be published`);
    if (e.startsAt <= clock()) throw new EventsUsageError(`event ${e.code} has already started: it cannot be published`);
    if (!(await publishEvent(db, clock, e.id, ADMINISTRATOR))) throw new EventsUsageError(`event ${e.code} was not published (changed meanwhile?)`);
    return { out: `published ${e.code}: people can see it and sign up (link ?start=ev_${e.code})` };
  }
  if (action === "cancel") {
    const e = await eventNamed(db, args[0], "cancel");
    const told = await db.enrolment.count({ where: { eventId: e.id, status: { in: ["confirmed", "waiting", "offered", "pending_approval"] } } });
    const r = await cancelEvent(db, clock, e.id, ADMINISTRATOR, "cli");
    if (r !== "cancelled") throw new EventsUsageError(`event ${e.code} is ${e.status}: it cannot be cancelled`);
    return { out: `cancelled ${e.code}; ${told} person(s) signed up will be told` };
  }
  if (action === "attendees") return { out: await attendees(db, args[0], o) };
  if (action === "figures") return { out: await figures(db, clock, args[0], o) };
  if (action === "attendance") return attendance(db, clock, args[0], o);
  throw usage(action ? `unknown event command: ${action}` : "event needs a command");
}

export async function seriesCommand(db: Db, clock: Clock, action: string | undefined, args: string[], o: EventOptions): Promise<CliOutput> {
  if (action === "create") {
    const n = Number(o["complete-after"]);
    if (!o.code || !/^[a-z0-9][a-z0-9_-]{1,39}$/i.test(o.code)) throw usage("series create needs --code CODE (2-40 latin letters, digits, _ or -)");
    if (!o.title?.trim()) throw usage('series create needs --title "..."');
    if (!Number.isInteger(n) || n < 1) throw usage("series create needs --complete-after N: the events a person attends to complete the series (a whole number, at least 1)");
    if (await db.eventSeries.findUnique({ where: { code: o.code } })) throw new EventsUsageError(`series ${o.code} already exists`);
    await createSeries(db, clock, { code: o.code, title: { ru: o.title.trim() }, completeAfter: n });
    return { out: `created series ${o.code} (complete after ${n} event(s)); events join it with "series: ${o.code}" in their file` };
  }
  if (action === "figures") {
    const code = args[0];
    if (!code) throw usage("series figures needs the series' code");
    const s = await db.eventSeries.findUnique({ where: { code } });
    if (!s) throw new EventsUsageError(`no series with code "${code}"`);
    const f = (await seriesFigures(db, s.id))!;
    const rows: [string, string | number][] = [["series", s.code], ["title", titleOf(s.title)], ["complete after", s.completeAfter], ["events", f.events], ["participants", f.participants], ["completed", f.completed]];
    return { out: await emit(pairTable("Series", rows), o, () => pairs(rows)) };
  }
  throw usage(action ? `unknown series command: ${action}` : "series needs a command");
}
