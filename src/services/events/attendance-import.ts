// Attendance from a file: an organiser's CSV (from the bot as a document, or the CLI's
// `event attendance CODE --file att.csv`) with the sign-up number (the "Sign-up" column of the
// attendees export, independent of Telegram) and the day. Every row goes through checkIn, so an
// import twice, or a row already scanned at the door, marks nothing twice.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { mayOrganise } from "./access.js";
import { checkIn } from "./attendance.js";
import type { Organiser } from "./settings.js";

/** Rows read from one file at most; a longer file is refused whole. */
export const IMPORT_MAX_ROWS = 5000;

export type ImportProblem = "bad_row" | "unknown_signup" | "not_confirmed" | "wrong_day";

export interface ImportSummary {
  marked: number;
  already: number;
  /** Rows not marked, with their line in the file (1 = the first line). */
  problems: { line: number; problem: ImportProblem }[];
}

export type ImportResult = ImportSummary | "not_allowed" | "not_found" | "too_long";

const cells = (line: string) => line.split(/[;,\t]/).map((c) => c.trim().replace(/^"(.*)"$/, "$1").trim());

/** "2027-07-12" or "12.07.2027" as YYYY-MM-DD; null when neither. */
function dayOf(s: string | undefined): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? "");
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s ?? "");
  if (iso) return s!;
  if (ru) return `${ru[3]}-${ru[2]!.padStart(2, "0")}-${ru[1]!.padStart(2, "0")}`;
  return null;
}

/** Marks attendance from CSV text: rows "sign-up number, day"; a first line of headers is skipped. */
export async function importAttendance(db: Db, clock: Clock, input: { eventId: number; csv: string; by: Organiser }): Promise<ImportResult> {
  const event = await db.event.findUnique({ where: { id: input.eventId }, select: { id: true, createdBy: true } });
  if (!event) return "not_found";
  if (!(await mayOrganise(db, input.by, event))) return "not_allowed";
  const lines = input.csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines.filter((l) => l.trim()).length > IMPORT_MAX_ROWS + 1) return "too_long";
  const summary: ImportSummary = { marked: 0, already: 0, problems: [] };
  let first = true;
  // Columns: the first two, or those a header row names (the attendees export has "Sign-up").
  let at = [0, 1];
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue;
    const row = cells(raw);
    if (first && !/^\d+$/.test(row[0] ?? "")) {
      first = false;
      const find = (re: RegExp, fallback: number) => {
        const k = row.findIndex((h) => re.test(h));
        return k < 0 ? fallback : k;
      };
      at = [find(/sign|запис|номер|^№|^no\.?$|regist/i, 0), find(/date|day|дата|день|diena|data/i, 1)];
      continue;
    }
    first = false;
    const [number, date] = [row[at[0]!], row[at[1]!]];
    const enrolmentId = /^\d{1,9}$/.test(number ?? "") ? Number(number) : null;
    const day = dayOf(date);
    if (!enrolmentId || !day) {
      summary.problems.push({ line: i + 1, problem: "bad_row" });
      continue;
    }
    const r = await checkIn(db, clock, { eventId: event.id, enrolmentId, day, by: input.by });
    if (r.result === "marked") summary.marked++;
    else if (r.result === "already") summary.already++;
    else if (r.result === "wrong_day") summary.problems.push({ line: i + 1, problem: "wrong_day" });
    else if (r.result === "not_allowed") return "not_allowed";
    else {
      const known = await db.enrolment.findFirst({ where: { id: enrolmentId, eventId: event.id }, select: { id: true } });
      summary.problems.push({ line: i + 1, problem: known ? "not_confirmed" : "unknown_signup" });
    }
  }
  return summary;
}
