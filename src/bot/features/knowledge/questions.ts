// A message outside any flow, from someone without an open request, is a question: crisis
// contacts first if it sounds like one, then the best one to three articles, or an honest "I have
// no answer" with the offer of a coordinator. "None of these" asks once to say it another way; if
// that fails too, the first question goes to a coordinator as it was written.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { articleText } from "../../../services/knowledge/articles.js";
import { soundsLikeCrisis } from "../../../services/crisis/detect.js";
import { isGreeting } from "../../../services/knowledge/greeting.js";
import { questionOf, recordKnowledgeEvent } from "../../../services/knowledge/store.js";
import { cut } from "../../../services/text.js";
import { messageKey } from "../cases/incoming.js";
import { handOver, knowledge, reader } from "./base.js";
import { sendCrisis } from "../../ui/crisis.js";

const QUESTION_SHOWN = 300;

/** The question `id` if it is this person's, else null (ids come back in buttons). */
async function ownQuestion(ctx: BotContext, raw: string | undefined) {
  const id = dbInt(raw);
  const q = id && ctx.person ? await questionOf(ctx.deps.prisma, id, ctx.person.id) : null;
  return q && id ? { id, ...q } : null;
}

/** Offers the coordinator with the question as it was first written. */
async function offerHandover(ctx: BotContext, eventId: number, question: string, again: boolean): Promise<void> {
  const kb = new InlineKeyboard().text(ctx.t("knowledge.handover_button"), `kb:hq:${eventId}`);
  if (!again) kb.row().text(ctx.t("knowledge.rephrase_button"), `kb:re:${eventId}`);
  const text = again ? ctx.t("knowledge.still_nothing", { question: cut(question, QUESTION_SHOWN) }) : ctx.t("knowledge.nothing");
  await ctx.reply(text, { reply_markup: kb });
}

function questions(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.on("message:text", async (ctx, next) => {
    const text = ctx.message.text;
    if (text.startsWith("/")) return next();
    const { prisma, clock } = ctx.deps;
    const key = messageKey(ctx.message);
    if (soundsLikeCrisis(text)) await sendCrisis(ctx, true);
    else if (isGreeting(text)) return void (await ctx.reply(ctx.t("knowledge.greeting")));
    const r = await reader(ctx);
    const found = await knowledge(ctx.deps).ask(text, r);
    const eventId = await recordKnowledgeEvent(prisma, { kind: "asked", at: clock(), personId: ctx.person?.id, question: text, lang: ctx.locale, key });
    ctx.session.kbQuestion = eventId;
    const first = ctx.session.kbFirstQuestion ? await questionOf(prisma, ctx.session.kbFirstQuestion, ctx.person?.id ?? -1) : null;
    if (found.verdict === "none") {
      await recordKnowledgeEvent(prisma, { kind: "no_answer", at: clock(), personId: ctx.person?.id, question: text, lang: ctx.locale, key: `${key}:none` });
      if (first) {
        const firstId = ctx.session.kbFirstQuestion!;
        ctx.session.kbFirstQuestion = undefined;
        return offerHandover(ctx, firstId, first.question, true);
      }
      return offerHandover(ctx, eventId, text, false);
    }
    const kb = new InlineKeyboard();
    for (const hit of found.hits) {
      const a = await knowledge(ctx.deps).article(hit.id);
      if (!a) continue;
      await recordKnowledgeEvent(prisma, { kind: "shown", at: clock(), articleId: a.id, personId: ctx.person?.id, lang: ctx.locale, key: `${key}:shown:${a.id}` });
      kb.text(`📄 ${cut(articleText(a, ctx.locale).title, 60)}`, `kb:art:${a.id}`).row();
    }
    kb.text(ctx.t("knowledge.not_this_button"), `kb:no:${eventId}`).row().text(ctx.t("knowledge.human_button"), `kb:hq:${ctx.session.kbFirstQuestion ?? eventId}`);
    await ctx.reply(ctx.t(found.verdict === "answer" ? "knowledge.found_single" : "knowledge.found_several"), { reply_markup: kb });
  });

  // "None of these": once, a chance to say it another way; after that, the coordinator.
  c.callbackQuery(/^kb:no:(\d+)$/, async (ctx) => {
    const q = await ownQuestion(ctx, ctx.match[1]);
    if (!q) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const r = await reader(ctx);
    for (const hit of (await knowledge(ctx.deps).ask(q.question, r)).hits) {
      await recordKnowledgeEvent(ctx.deps.prisma, { kind: "not_helped", at: ctx.deps.clock(), articleId: hit.id, personId: ctx.person?.id, lang: ctx.locale, key: `kb:no:${q.id}:${hit.id}` });
    }
    const firstId = ctx.session.kbFirstQuestion;
    const first = firstId ? await questionOf(ctx.deps.prisma, firstId, ctx.person!.id) : null;
    if (first && firstId) {
      ctx.session.kbFirstQuestion = undefined;
      return offerHandover(ctx, firstId, first.question, true);
    }
    ctx.session.kbFirstQuestion = q.id;
    await ctx.reply(ctx.t("knowledge.rephrase"), { reply_markup: new InlineKeyboard().text(ctx.t("knowledge.handover_button"), `kb:hq:${q.id}`) });
  });

  c.callbackQuery(/^kb:re:(\d+)$/, async (ctx) => {
    const q = await ownQuestion(ctx, ctx.match[1]);
    if (!q) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    ctx.session.kbFirstQuestion = q.id;
    await ctx.reply(ctx.t("knowledge.rephrase"));
  });

  // "Pass my question to a coordinator": the help request opens with it, the kind of help guessed.
  c.callbackQuery(/^kb:hq:(\d+)$/, async (ctx) => {
    const q = await ownQuestion(ctx, ctx.match[1]);
    if (!q) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    const r = await reader(ctx);
    // The kind of help is guessed only from an article that fits; otherwise the person chooses it.
    const found = await knowledge(ctx.deps).ask(q.question, r);
    ctx.session.kbFirstQuestion = undefined;
    const best = found.verdict === "none" ? undefined : found.hits[0];
    // Counted against the article that came closest, so content work sees where people still needed a person.
    await handOver(ctx, { question: q.question, category: best?.category, articleId: best?.id });
  });
  return c;
}

export const questionsFeature: Feature = { name: "questions", composer: questions() };
