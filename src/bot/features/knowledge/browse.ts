// "Questions and answers" (/faq and the menu): topics, the articles of a topic, an article with
// "This helped" and "I need a person". Article ids arrive in buttons: an unknown one is answered
// as gone, never trusted.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, menuScreen } from "../../ui/menu.js";
import { CATEGORIES, isOneOf } from "../../../services/vocabulary.js";
import { articleText } from "../../../services/knowledge/articles.js";
import { questionOf, recordKnowledgeEvent } from "../../../services/knowledge/store.js";
import { cut } from "../../../services/text.js";
import { articleHtml } from "./render.js";
import { handOver, knowledge, reader } from "./base.js";

export const KB = {
  topics: "kb:topics",
  topic: /^kb:cat:([a-z_]+)$/,
  article: /^kb:art:([a-z0-9-]+)$/,
  helped: /^kb:ok:([a-z0-9-]+)$/,
  human: /^kb:hum:([a-z0-9-]+)$/,
} as const;

async function showTopics(ctx: BotContext): Promise<void> {
  ctx.session.kbQuestion = undefined; // browsing: no question of theirs to attach
  const counts = await knowledge(ctx.deps).counts();
  const kb = new InlineKeyboard();
  CATEGORIES.filter((c) => counts.get(c)).forEach((c, i) => {
    kb.text(`${ctx.t(`categories.${c}`)} (${counts.get(c)})`, `kb:cat:${c}`);
    if (i % 2 === 1) kb.row();
  });
  await ctx.reply(ctx.t("knowledge.topics"), { reply_markup: kb });
}

/** An article, with its buttons; counted as shown. */
export async function showArticle(ctx: BotContext, id: string): Promise<void> {
  const a = await knowledge(ctx.deps).article(id);
  if (!a) return void (await ctx.reply(ctx.t("knowledge.gone")));
  await recordKnowledgeEvent(ctx.deps.prisma, { kind: "shown", at: ctx.deps.clock(), articleId: id, personId: ctx.person?.id, lang: ctx.locale, key: ctx.callbackQuery ? `kb:${ctx.callbackQuery.id}` : null });
  const kb = new InlineKeyboard()
    .text(ctx.t("knowledge.helped_button"), `kb:ok:${id}`).row()
    .text(ctx.t("knowledge.human_button"), `kb:hum:${id}`).row()
    .text(ctx.t("knowledge.topics_button"), KB.topics);
  await ctx.reply(articleHtml(a, ctx.locale, ctx.t), { reply_markup: kb });
}

function browse(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "faq", showTopics);
  c.callbackQuery(KB.topics, async (ctx) => {
    await ack(ctx);
    await showTopics(ctx);
  });
  c.callbackQuery(KB.topic, async (ctx) => {
    const category = ctx.match[1];
    if (!isOneOf(CATEGORIES, category)) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    const r = await reader(ctx);
    const articles = await knowledge(ctx.deps).inCategory(category, r.role, r.region);
    if (!articles.length) return void (await ctx.reply(ctx.t("knowledge.topic_empty")));
    const kb = new InlineKeyboard();
    for (const a of articles) kb.text(cut(articleText(a, ctx.locale).title, 60), `kb:art:${a.id}`).row();
    kb.text(ctx.t("knowledge.topics_button"), KB.topics);
    await ctx.reply(ctx.t("knowledge.topic", { category: ctx.t(`categories.${category}`) }), { reply_markup: kb });
  });
  c.callbackQuery(KB.article, async (ctx) => {
    await ack(ctx);
    await showArticle(ctx, ctx.match[1]!);
  });
  c.callbackQuery(KB.helped, async (ctx) => {
    const a = await knowledge(ctx.deps).article(ctx.match[1]!);
    if (!a) return ack(ctx, ctx.t("errors.stale_button"), true);
    await recordKnowledgeEvent(ctx.deps.prisma, { kind: "helped", at: ctx.deps.clock(), articleId: a.id, personId: ctx.person?.id, lang: ctx.locale, key: `kb:ok:${ctx.from.id}:${ctx.callbackQuery.message?.message_id ?? ctx.callbackQuery.id}` });
    ctx.session.kbFirstQuestion = undefined;
    await ack(ctx, ctx.t("knowledge.helped"));
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard().text(ctx.t("knowledge.topics_button"), KB.topics) }).catch(() => undefined);
  });
  c.callbackQuery(KB.human, async (ctx) => {
    await ack(ctx);
    const a = await knowledge(ctx.deps).article(ctx.match[1]!);
    // Opened from a question of theirs: it goes along, so they need not type it again.
    const asked = ctx.session.kbQuestion && ctx.person ? await questionOf(ctx.deps.prisma, ctx.session.kbQuestion, ctx.person.id) : null;
    ctx.session.kbFirstQuestion = undefined;
    await handOver(ctx, { category: a?.category, question: asked?.question, articleId: a?.id });
  });
  return c;
}

export const faqFeature: Feature = { name: "faq", composer: browse(), commands: ["faq"] };
