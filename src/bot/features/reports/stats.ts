// /stats for supervisors (their regions) and administrators (everything): a chart picture and a
// short summary below it, with buttons that switch the period and the breakdown (both messages are
// edited in place) and, for administrators, the three exports as XLSX files. Every press re-checks
// who is pressing (reportScope): callback data can be forged.
import { Composer, InlineKeyboard, InputFile, InputMediaBuilder } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { isAdmin } from "../../ui/staff.js";
import { dbInt } from "../../ui/callbacks.js";
import { coordinatorByTelegram } from "../../../services/cases/queries.js";
import { casesPerWeek, namedPeriod, PERIOD_NAMES, periodReport, reportScope, type PeriodName, type Scope } from "../../../services/reports/figures.js";
import { exportTable, REPORT_KINDS, toXlsx, type ReportKind } from "../../../services/reports/exports.js";
import { renderStatsChart } from "./chart.js";
import { regionName } from "../../../services/regions.js";
import { chartCaption, chartLabels, summaryText, type Breakdown } from "./view.js";

const STATS_CB = new RegExp(`^stats:(${PERIOD_NAMES.join("|")}):(region|category):(\\d+)$`);
const EXPORT_CB = new RegExp(`^stats:x:(${REPORT_KINDS.join("|")}):(${PERIOD_NAMES.join("|")})$`);

async function scopeOf(ctx: BotContext): Promise<Scope | null> {
  const coordinator = ctx.from ? await coordinatorByTelegram(ctx.deps.prisma, ctx.from.id) : null;
  return reportScope({ admin: isAdmin(ctx), coordinator });
}

/** The figures, summary, caption and picture of one view. */
export async function statsView(ctx: BotContext, scope: Scope, periodName: PeriodName, b: Breakdown) {
  const { prisma, config, clock } = ctx.deps;
  const tz = config.PROGRAMME_TIME_ZONE;
  const now = clock();
  const f = await periodReport(prisma, namedPeriod(periodName, now, tz), scope, { normal: config.CASE_ACK_SECONDS, urgent: config.CASE_ACK_URGENT_SECONDS });
  const weeks = await casesPerWeek(prisma, now, tz, scope);
  const names = new Map((await prisma.region.findMany()).map((r) => [r.code, regionName(r, ctx.locale)]));
  const png = await renderStatsChart(weeks, b === "region" ? f.cases.byRegion : f.cases.byCategory, chartLabels(ctx.t, b, names));
  return { text: summaryText(ctx.t, ctx.locale, f, b, tz, names), caption: chartCaption(ctx.t, f, b, tz), png };
}

function buttons(ctx: BotContext, periodName: PeriodName, b: Breakdown, photoId: number, admin: boolean): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const p of PERIOD_NAMES) kb.text(`${p === periodName ? "• " : ""}${ctx.t(`reports.periods.${p}`)}`, `stats:${p}:${b}:${photoId}`);
  kb.row();
  for (const x of ["region", "category"] as const) kb.text(`${x === b ? "• " : ""}${ctx.t(x === "region" ? "reports.by_region" : "reports.by_category")}`, `stats:${periodName}:${x}:${photoId}`);
  if (admin) {
    kb.row();
    for (const k of REPORT_KINDS) kb.text(ctx.t(`reports.export.${k}`), `stats:x:${k}:${periodName}`);
  }
  return kb;
}

function stats(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("stats", async (ctx) => {
    const scope = await scopeOf(ctx);
    if (!scope) return ctx.reply(ctx.t("reports.not_allowed"));
    const v = await statsView(ctx, scope, "last_month", "region");
    const photo = await ctx.replyWithPhoto(new InputFile(v.png, "stats.png"), { caption: v.caption });
    await ctx.reply(v.text, { reply_markup: buttons(ctx, "last_month", "region", photo.message_id, isAdmin(ctx)) });
  });

  c.callbackQuery(STATS_CB, async (ctx) => {
    const scope = await scopeOf(ctx);
    if (!scope) return ctx.answerCallbackQuery(ctx.t("reports.not_allowed"));
    await ctx.answerCallbackQuery();
    const [, periodName, b] = ctx.match as unknown as [string, PeriodName, Breakdown];
    const photoId = dbInt(ctx.match[3]);
    const v = await statsView(ctx, scope, periodName, b);
    await ctx.editMessageText(v.text, { reply_markup: buttons(ctx, periodName, b, photoId ?? 0, isAdmin(ctx)) }).catch(() => undefined);
    // The picture above: its id came in the callback data, so a forged one can only miss (in the presser's own chat).
    if (photoId) await ctx.api.editMessageMedia(ctx.chat!.id, photoId, InputMediaBuilder.photo(new InputFile(v.png, "stats.png"), { caption: v.caption })).catch(() => undefined);
  });

  c.callbackQuery(EXPORT_CB, async (ctx) => {
    // Files of every case and person: administrators only, and without names or phones (those only from the CLI, audited).
    if (!isAdmin(ctx)) return ctx.answerCallbackQuery(ctx.t("reports.not_allowed"));
    await ctx.answerCallbackQuery();
    const kind = ctx.match[1] as ReportKind;
    const periodName = ctx.match[2] as PeriodName;
    const { prisma, clock, config } = ctx.deps;
    const period = namedPeriod(periodName, clock(), config.PROGRAMME_TIME_ZONE);
    const table = await exportTable(prisma, clock, { kind, period, scope: { regions: null }, withContacts: false, t: ctx.t, by: ctx.person?.id ?? null });
    const file = await toXlsx(table, config.PROGRAMME_TIME_ZONE);
    await ctx.replyWithDocument(new InputFile(file, `${kind}-${period.from.toISOString().slice(0, 10)}.xlsx`), { caption: ctx.t("reports.export_caption", { count: table.rows.length }) });
  });
  return c;
}

export const statsFeature: Feature = { name: "stats", composer: stats() };
