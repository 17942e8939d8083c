// How figures read in the bot: the /stats summary (fits one message at any size of programme) and
// the chart's labels, in the reader's language. Numbers only, never personal data.
import type { TFunction } from "i18next";
import type { Locale } from "../../../i18n.js";
import type { Count, Figures, Period, Times } from "../../../services/reports/figures.js";
import { formatLocal } from "../../../services/time.js";
import { CAPTION_LIMIT, TEXT_LIMIT } from "../../../services/text.js";
import { fitLines } from "../../ui/fit.js";
import type { ChartLabels } from "./chart.js";

export type Breakdown = "region" | "category";

/** A duration in seconds as minutes, hours or days. */
export function duration(t: TFunction, seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 3600) return t("reports.minutes", { n: Math.max(1, Math.round(seconds / 60)) });
  if (seconds < 48 * 3600) return t("reports.hours", { n: Math.round(seconds / 360) / 10 });
  return t("reports.days", { n: Math.round(seconds / 8640) / 10 });
}

const lastDay = (p: Period, tz: string) => formatLocal(new Date(p.to.getTime() - 1), tz).slice(0, 10);

export function periodLabel(p: Period, tz: string): string {
  return `${formatLocal(p.from, tz).slice(0, 10)} — ${lastDay(p, tz)}`;
}

/** Region names in the reader's language, by code (codes stand for themselves when missing). */
export type RegionNames = Map<string, string>;

export function keyLabel(t: TFunction, b: Breakdown, key: string, regions?: RegionNames): string {
  if (key === "none") return t("reports.none");
  return b === "category" ? t(`categories.${key}`) : regions?.get(key) ?? key;
}

const times = (t: TFunction, x: Times) => t("reports.times", { median: duration(t, x.median), p90: duration(t, x.p90) });
const pct = (locale: Locale, v: number | null) => (v === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(v));
const list = (t: TFunction, xs: Count[], label: (k: string) => string) => xs.map((c) => `${label(c.key)}: ${c.count}`).join(" · ") || t("reports.none");

/** The summary message: headline figures, then the breakdown lines (cut with "and N more" when long). */
export function summaryText(t: TFunction, locale: Locale, f: Figures, b: Breakdown, tz: string, regions?: RegionNames): string {
  const { people, cases, coordinators, events } = f;
  const sum = (k: "openNow" | "taken" | "declined" | "escalations") => coordinators.reduce((n, c) => n + c[k], 0);
  const scope = f.scope.regions ? f.scope.regions.slice(0, 20).join(", ") + (f.scope.regions.length > 20 ? " …" : "") : t("reports.all_regions");
  const head = [
    t("reports.title", { period: periodLabel(f.period, tz), scope }),
    "",
    t("reports.people", { registered: people.registered, active: people.active, erased: people.erased }),
    `${t("reports.by_role")}: ${list(t, people.byRole, (k) => t(`registration.roles.${k}`))}`,
    "",
    t("reports.cases", { opened: cases.opened, resolved: cases.resolved, cancelled: cases.cancelled, open: cases.stillOpen }),
    `${t("reports.first_response")}: ${times(t, cases.firstResponse)}; ${t("reports.in_time", { share: pct(locale, cases.answeredInTime) })}`,
    `${t("reports.resolution")}: ${times(t, cases.resolution)}`,
    cases.ratings ? t("reports.rating", { average: cases.ratingAverage!.toFixed(1), count: cases.ratings }) : t("reports.no_ratings"),
    t("reports.load", { open: sum("openNow"), taken: sum("taken"), declined: sum("declined"), escalations: sum("escalations"), coordinators: coordinators.length }),
    t("reports.events", { held: events.eventsHeld, participants: events.participants, attendances: events.attendances }),
    "",
    t(b === "region" ? "reports.by_region" : "reports.by_category"),
  ];
  const rows = (b === "region" ? cases.byRegion : cases.byCategory).map((c) => `• ${keyLabel(t, b, c.key, regions)}: ${c.count}`);
  return fitLines(head, rows, TEXT_LIMIT, (count) => t("reports.more", { count }));
}

/** The photo's caption: what the picture shows (short; well under Telegram's 1024). */
export function chartCaption(t: TFunction, f: Figures, b: Breakdown, tz: string): string {
  return fitLines([t("reports.caption", { period: periodLabel(f.period, tz), breakdown: t(b === "region" ? "reports.by_region" : "reports.by_category") })], [], CAPTION_LIMIT, () => "");
}

export function chartLabels(t: TFunction, b: Breakdown, regions?: RegionNames): ChartLabels {
  return {
    weeksTitle: t("reports.chart_weeks"),
    breakdownTitle: t(b === "region" ? "reports.by_region" : "reports.by_category"),
    status: (s) => t(`reports.statuses.${s}`),
    key: (k) => keyLabel(t, b, k, regions),
    week: (monday) => `${monday.slice(8, 10)}.${monday.slice(5, 7)}`,
  };
}
