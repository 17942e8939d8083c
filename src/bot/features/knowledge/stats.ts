// /kbstats for administrators: how the knowledge base is used, so content can be improved — which
// articles are shown, help or do not, and the latest questions with no good answer (personal
// data: administrators only, and erased with the person).
import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { escapeHtml } from "../../../i18n.js";
import { knowledgeFigures } from "../../../services/knowledge/store.js";
import { cut, TEXT_LIMIT } from "../../../services/text.js";
import { fitLines } from "../../ui/fit.js";
import { isAdmin } from "../../ui/staff.js";

const ARTICLES_SHOWN = 15;

function stats(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("kbstats", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply(ctx.t("coordinator.not_allowed"));
    const f = await knowledgeFigures(ctx.deps.prisma, new Date(0), 10);
    const head = [ctx.t("knowledge.stats_title", { asked: f.asked, none: f.noAnswer, handover: f.handover })];
    if (!f.asked && !f.articles.some((a) => a.shown)) return ctx.reply(`${head[0]}\n\n${ctx.t("knowledge.stats_none")}`);
    head.push("", ctx.t("knowledge.stats_articles"));
    for (const a of f.articles.filter((x) => x.shown).slice(0, ARTICLES_SHOWN)) head.push(`${a.id}: ${a.shown} · ${a.helped} · ${a.notHelped} · ${a.handover}`);
    const unanswered = f.unanswered.map((u) => `• ${escapeHtml(cut(u.question, 200))}`);
    await ctx.reply(fitLines([...head, "", ctx.t("knowledge.stats_unanswered")], unanswered.reverse(), TEXT_LIMIT, (count) => ctx.t("coordinator.earlier", { count })));
  });
  return c;
}

export const knowledgeStatsFeature: Feature = { name: "knowledge-stats", composer: stats() };
