// `npm run admin -- report ...` and `broadcast ...`: figures, exports and announcements from the
// command line, as the programme's administrator.
//   report figures [--from D --to D] [--region CODE]
//   report cases|people|coordinators --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx [--out FILE] [--region CODE] [--with-contacts] [--lang ru|en|lt]
//   broadcast --file message.md --to role=family,region=RU-TAM [--yes]
// The period is in the programme's time zone (PROGRAMME_TIME_ZONE), both days included; by default
// the last calendar month. A mistake gets one clear line and a non-zero exit.
import { readFile, writeFile } from "node:fs/promises";
import type { Db } from "../db/client.js";
import type { Clock } from "../services/clock.js";
import { createI18n, isLocale, LOCALES } from "../i18n.js";
import { parsePeriod, periodReport, type Scope } from "../services/reports/figures.js";
import { exportTable, REPORT_KINDS, toCsv, toXlsx, type ReportKind } from "../services/reports/exports.js";
import { AudienceError, audienceProblem, countAudience, createAnnouncement, parseAudience, queueAnnouncement } from "../services/delivery/announcements.js";
import { TEXT_LIMIT } from "../services/text.js";
import type { CliOutput } from "./knowledge.js";

export class ReportsUsageError extends Error {}

export const REPORTS_USAGE = `  npm run admin -- report figures [--from YYYY-MM-DD --to YYYY-MM-DD] [--region CODE]
  npm run admin -- report cases|people|coordinators [--from YYYY-MM-DD --to YYYY-MM-DD] --format csv|xlsx [--out FILE] [--region CODE] [--with-contacts] [--lang ru|en|lt]
  npm run admin -- broadcast --file message.md --to all|role=family,region=RU-TAM,event=CODE [--yes]`;

export interface ReportOptions {
  from?: string;
  to?: string;
  format?: string;
  out?: string;
  region?: string;
  "with-contacts"?: boolean;
  lang?: string;
  file?: string;
  yes?: boolean;
}

export interface ReportSettings {
  timeZone: string;
  defaultLocale: string;
  ack: { normal: number; urgent: number };
}

const fail = (line: string) => new ReportsUsageError(line);

async function scopeOf(db: Db, region: string | undefined): Promise<Scope> {
  if (!region) return { regions: null };
  const code = region.toUpperCase();
  if (!(await db.region.findUnique({ where: { code } }))) throw fail(`unknown region "${region}" (see: npm run admin -- region list)`);
  return { regions: [code] };
}

export async function reportCommand(db: Db, clock: Clock, action: string | undefined, o: ReportOptions, s: ReportSettings): Promise<CliOutput> {
  const kinds = ["figures", ...REPORT_KINDS];
  if (!action || !kinds.includes(action)) throw fail(`report needs one of: ${kinds.join(", ")}${action ? ` (got "${action}")` : ""}`);
  if (o.format !== undefined && o.format !== "csv" && o.format !== "xlsx") throw fail(`--format must be csv or xlsx (got "${o.format}")`);
  if (o.lang !== undefined && !isLocale(o.lang)) throw fail(`--lang must be one of ${LOCALES.join(", ")} (got "${o.lang}")`);
  const period = parsePeriod(o.from, o.to, clock(), s.timeZone);
  if (typeof period === "string") throw fail(period);
  const scope = await scopeOf(db, o.region);
  if (action === "figures") {
    const f = await periodReport(db, period, scope, s.ack);
    return { out: JSON.stringify(f, null, 2) };
  }
  if (!o.format) throw fail(`report ${action} needs --format csv or xlsx`);
  if (o.format === "xlsx" && !o.out) throw fail("--format xlsx needs --out FILE.xlsx (a spreadsheet is not printed)");
  const lang = isLocale(o.lang) ? o.lang : isLocale(s.defaultLocale) ? s.defaultLocale : "ru";
  const t = (await createI18n(lang)).getFixedT(lang);
  const table = await exportTable(db, clock, { kind: action as ReportKind, period, scope, withContacts: !!o["with-contacts"], t: (k) => t(k, { interpolation: { escapeValue: false } }), by: null });
  if (o.format === "csv") {
    const csv = toCsv(table, s.timeZone);
    if (!o.out) return { out: csv.replace(/\n$/, "") };
    await writeFile(o.out, csv);
  } else await writeFile(o.out!, await toXlsx(table, s.timeZone));
  return { out: `wrote ${table.rows.length} row(s) to ${o.out}${o["with-contacts"] ? " (with names and phones; recorded in the audit log)" : ""}` };
}

/** Queues an announcement of a text file; without --yes only says how many would get it. */
export async function broadcastCommand(db: Db, clock: Clock, o: ReportOptions & { to?: string }): Promise<CliOutput> {
  if (!o.file) throw fail("broadcast needs --file message.md (the text to send)");
  let text: string;
  try {
    text = (await readFile(o.file, "utf8")).trim();
  } catch {
    throw fail(`cannot read ${o.file}`);
  }
  if (!text) throw fail(`${o.file} is empty`);
  if (text.length > TEXT_LIMIT) throw fail(`${o.file} has ${text.length} characters; one Telegram message holds at most ${TEXT_LIMIT}`);
  let audience;
  try {
    audience = parseAudience(o.to ?? "");
  } catch (err) {
    throw fail((err as AudienceError).message);
  }
  if (o.to === undefined) throw fail("broadcast needs --to all or --to role=...,region=...,event=...");
  const problem = await audienceProblem(db, audience);
  if (problem) throw fail(problem);
  const count = await countAudience(db, audience);
  if (!o.yes) return { out: `${count} person(s) would get it; run again with --yes to send` };
  const id = await createAnnouncement(db, clock, { createdBy: null, audience, text });
  const queued = await queueAnnouncement(db, clock, id);
  return { out: `announcement ${id} queued for ${queued} person(s); the bot sends it within Telegram's limits` };
}
