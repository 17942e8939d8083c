// Exports for reports, written once for the CLI and the bot: a Table (header row in the reader's
// language, one row per case, person or coordinator) and its writers — CSV in UTF-8 with a BOM (so
// Excel opens Cyrillic right) with formulas escaped, and XLSX with column widths and real dates.
// Names and phones come out only when asked for with contacts (administrators; the caller checks
// mayExportContacts and the export is audited here). Erased people come out as "(erased)".
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { audit } from "../people/audit.js";
import { formatLocal, wallClock } from "../time.js";
import { coordinatorLoad, type Period, type Scope } from "./figures.js";

export interface Column {
  header: string;
  width?: number;
  date?: boolean;
}
export type Cell = string | number | Date | null;
export interface Table {
  sheet: string;
  columns: Column[];
  rows: Cell[][];
}

const cellText = (v: Cell, tz = "UTC") => (v === null ? "" : v instanceof Date ? formatLocal(v, tz) : String(v));

/** CSV in UTF-8 with a BOM; a cell starting with = + - @ is escaped so a spreadsheet keeps it as text. */
export function toCsv(t: Table, tz?: string): string {
  return stringify([t.columns.map((c) => c.header), ...t.rows.map((r) => r.map((v) => cellText(v, tz)))], { bom: true, escape_formulas: true, record_delimiter: "unix" });
}

/** An XLSX workbook: bold frozen header row, column widths, dates as dates (wall-clock time in `tz`). */
export async function toXlsx(t: Table, tz = "UTC"): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "support-bot";
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = t.columns.map((c, i) => ({
    header: c.header, key: `c${i}`,
    width: c.width ?? Math.min(60, Math.max(10, c.header.length + 2, ...t.rows.slice(0, 500).map((r) => cellText(r[i] ?? null).length + 2))),
    ...(c.date ? { style: { numFmt: "yyyy-mm-dd hh:mm" } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map((v) => (v instanceof Date ? wallClock(v, tz) : v)));
  if (t.rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const REPORT_KINDS = ["cases", "people", "coordinators"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ExportRequest {
  kind: ReportKind;
  period: Period;
  scope: Scope;
  withContacts: boolean;
  /** Header and label texts in the reader's language: `t("reports.columns.<id>")`, categories, statuses, roles. */
  t: (key: string) => string;
  /** Who asked (person id; null for the CLI), for the audit trail. */
  by: number | null;
}

const regionWhere = (s: Scope) => (s.regions ? { regionCode: { in: s.regions } } : {});
const minutes = (a: Date, b: Date | null) => (b ? Math.round((b.getTime() - a.getTime()) / 60_000) : null);
const hours = (a: Date, b: Date | null) => (b ? Math.round((b.getTime() - a.getTime()) / 360_000) / 10 : null);

async function casesTable(db: Db, r: ExportRequest): Promise<Table> {
  const rows = await db.case.findMany({
    where: { createdAt: { gte: r.period.from, lt: r.period.to }, ...regionWhere(r.scope) },
    orderBy: { createdAt: "asc" },
    include: r.withContacts ? { requester: { select: { profile: { select: { fullName: true, phone: true, erasedAt: true } } } } } : undefined,
  });
  const col = (id: string, extra: Partial<Column> = {}): Column => ({ header: r.t(`reports.columns.${id}`), ...extra });
  const columns = [
    col("number", { width: 10 }), col("opened", { date: true, width: 17 }), col("first_response_at", { date: true, width: 17 }), col("resolved_at", { date: true, width: 17 }),
    col("region", { width: 10 }), col("category", { width: 22 }), col("urgency", { width: 12 }), col("status", { width: 14 }), col("coordinator", { width: 12 }),
    col("first_response_min", { width: 14 }), col("resolution_h", { width: 14 }), col("rating", { width: 8 }),
    ...(r.withContacts ? [col("name", { width: 30 }), col("phone", { width: 16 })] : []),
  ];
  return {
    sheet: r.t("reports.sheets.cases"),
    columns,
    rows: rows.map((c) => {
      const base: Cell[] = [
        c.number, c.createdAt, c.firstResponseAt, c.resolvedAt, c.regionCode, r.t(`categories.${c.category}`), r.t(`reports.urgency.${c.urgency}`), r.t(`reports.statuses.${c.status}`),
        c.coordinatorId, minutes(c.createdAt, c.firstResponseAt), hours(c.createdAt, c.resolvedAt), c.rating,
      ];
      if (!r.withContacts) return base;
      const p = (c as unknown as { requester: { profile: { fullName: string | null; phone: string | null; erasedAt: Date | null } | null } }).requester.profile;
      return [...base, p?.erasedAt ? r.t("reports.erased") : p?.fullName ?? null, p?.erasedAt ? null : p?.phone ?? null];
    }),
  };
}

async function peopleTable(db: Db, r: ExportRequest): Promise<Table> {
  const rows = await db.profile.findMany({ where: { registeredAt: { gte: r.period.from, lt: r.period.to }, ...regionWhere(r.scope) }, orderBy: { registeredAt: "asc" } });
  const col = (id: string, extra: Partial<Column> = {}): Column => ({ header: r.t(`reports.columns.${id}`), ...extra });
  return {
    sheet: r.t("reports.sheets.people"),
    columns: [col("person", { width: 10 }), col("role", { width: 20 }), col("region", { width: 10 }), col("registered", { date: true, width: 17 }), col("erased", { width: 10 }), ...(r.withContacts ? [col("name", { width: 30 }), col("phone", { width: 16 })] : [])],
    rows: rows.map((p) => [
      p.personId, r.t(`registration.roles.${p.role}`), p.regionCode, p.registeredAt, p.erasedAt ? r.t("reports.yes") : r.t("reports.no"),
      ...(r.withContacts ? [p.erasedAt ? r.t("reports.erased") : p.fullName, p.erasedAt ? null : p.phone] : []),
    ]),
  };
}

async function coordinatorsTable(db: Db, r: ExportRequest): Promise<Table> {
  const load = await coordinatorLoad(db, r.period, r.scope);
  const staff = new Map((await db.coordinator.findMany({ where: { id: { in: load.map((l) => l.coordinatorId) } } })).map((c) => [c.id, c]));
  const col = (id: string, extra: Partial<Column> = {}): Column => ({ header: r.t(`reports.columns.${id}`), ...extra });
  return {
    sheet: r.t("reports.sheets.coordinators"),
    columns: [col("coordinator", { width: 12 }), col("regions", { width: 24 }), col("categories", { width: 30 }), col("open_now", { width: 10 }), col("taken", { width: 10 }), col("declined", { width: 10 }), col("escalations", { width: 12 }), ...(r.withContacts ? [col("telegram_id", { width: 14 })] : [])],
    rows: load.map((l) => {
      const c = staff.get(l.coordinatorId)!;
      return [l.coordinatorId, c.regions || r.t("reports.all_regions"), c.categories, l.openNow, l.taken, l.declined, l.escalations, ...(r.withContacts ? [String(c.telegramId)] : [])];
    }),
  };
}

/** The table of an export; written to the audit trail (kind, period, scope, contacts or not — never the rows). */
export async function exportTable(db: Db, clock: Clock, r: ExportRequest): Promise<Table> {
  const table = r.kind === "cases" ? await casesTable(db, r) : r.kind === "people" ? await peopleTable(db, r) : await coordinatorsTable(db, r);
  const detail = { kind: r.kind, from: r.period.from.toISOString(), to: r.period.to.toISOString(), regions: r.scope.regions, contacts: r.withContacts, rows: table.rows.length };
  await audit(db, clock, r.by, r.withContacts ? "report.exported_contacts" : "report.exported", JSON.stringify(detail));
  return table;
}
