// The requester's side: /mycases with statuses, cancelling a request, rating the help, and free
// messages that go to the coordinator of their open case (with several open, the one they choose).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, clearButtons, menuScreen } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { changeStatus, commentRating, rateCase } from "../../../services/cases/lifecycle.js";
import { addRequesterMessage, openCasesOfRequester, type Incoming } from "../../../services/cases/messages.js";
import { caseForMessage, deliverToCase, holdAndAsk, releaseHeld } from "./chooser.js";
import { casesOfRequester } from "../../../services/cases/queries.js";
import { CASE_MESSAGES, incomingOf } from "./incoming.js";
import { soundsLikeCrisis } from "../../../services/crisis/detect.js";
import { sendCrisis } from "../../ui/crisis.js";
import { OPEN_STATUSES, type CaseStatus } from "../../../services/vocabulary.js";

async function listCases(ctx: BotContext): Promise<void> {
  const cases = await casesOfRequester(ctx.deps.prisma, ctx.person!.id);
  if (!cases.length) return void (await ctx.reply(ctx.t("cases.none")));
  const kb = new InlineKeyboard();
  const lines = cases.map((c) => `#${c.number} · ${ctx.t(`categories.${c.category}`)} · ${ctx.t(`cases.status.${c.status}`)}`);
  for (const c of cases.filter((c) => OPEN_STATUSES.includes(c.status as CaseStatus))) kb.text(ctx.t("cases.cancel_button", { number: c.number }), `mycase:cancel:${c.id}`).row();
  await ctx.reply(`${ctx.t("cases.mine")}\n\n${lines.join("\n")}`, { reply_markup: kb });
}

/** Adds the messages to the case and tells the person what became of them (a reply to the last one). */
function sendToCase(ctx: BotContext, caseId: number, messages: Incoming[]): Promise<void> {
  return deliverToCase(ctx, caseId, messages, "cases.message", (m) => addRequesterMessage(ctx.deps.prisma, ctx.deps.clock, caseId, ctx.person!.id, m));
}

function myCases(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "mycases", listCases);
  // Ids from buttons that no row could have are old or forged buttons: the fallback's answer.
  const stale = (ctx: BotContext) => ack(ctx, ctx.t("errors.stale_button"), true);
  c.callbackQuery(/^mycase:cancel:(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    if (id === null) return stale(ctx);
    await ack(ctx);
    const kb = new InlineKeyboard().text(ctx.t("cases.cancel_yes"), `mycase:cancelyes:${id}`).text(ctx.t("cases.cancel_no"), "mycase:keep");
    await ctx.reply(ctx.t("cases.cancel_question"), { reply_markup: kb });
  });
  c.callbackQuery("mycase:keep", async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx, ctx.t("cases.kept"));
  });
  c.callbackQuery(/^mycase:cancelyes:(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    if (id === null) return stale(ctx);
    const own = await ctx.deps.prisma.case.findFirst({ where: { id, requesterId: ctx.person!.id } });
    const ok = own ? await changeStatus(ctx.deps.prisma, ctx.deps.clock, id, "cancelled", "requester") : false;
    await ack(ctx, ok ? undefined : ctx.t("errors.stale_button"), !ok);
    await clearButtons(ctx, ok ? ctx.t("cases.cancelled", { number: own!.number }) : undefined);
  });
  c.callbackQuery(/^rate:(\d+):([1-5])$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    if (id === null) return stale(ctx);
    const ok = await rateCase(ctx.deps.prisma, ctx.deps.clock, id, ctx.person!.id, Number(ctx.match[2]));
    await ack(ctx, ok ? ctx.t("cases.rated") : ctx.t("errors.stale_button"), !ok);
    await clearButtons(ctx);
    if (ok) {
      ctx.session.ratingCommentCaseId = id;
      await ctx.reply(ctx.t("cases.rate_comment"), { reply_markup: new InlineKeyboard().text(ctx.t("form.skip"), "rate:skip") });
    }
  });
  c.callbackQuery("rate:skip", async (ctx) => {
    ctx.session.ratingCommentCaseId = undefined;
    await ack(ctx);
    await clearButtons(ctx, ctx.t("cases.thanks"));
  });
  // Free messages: a rating comment if one was asked for, else to the person's open case.
  c.on(CASE_MESSAGES, async (ctx, next) => {
    if (ctx.message.text?.startsWith("/")) return next();
    if (ctx.session.ratingCommentCaseId && ctx.message.text) {
      await commentRating(ctx.deps.prisma, ctx.session.ratingCommentCaseId, ctx.person!.id, ctx.message.text);
      ctx.session.ratingCommentCaseId = undefined;
      return ctx.reply(ctx.t("cases.thanks"));
    }
    const open = await openCasesOfRequester(ctx.deps.prisma, ctx.person!.id);
    if (!open.length) return next();
    const choices = open.map((x) => ({ id: x.id, label: `#${x.number} · ${ctx.t(`categories.${x.category}`)}` }));
    const caseId = await caseForMessage(ctx, choices, ctx.session.requestCaseId);
    const message = incomingOf(ctx.message, ctx.chat.id);
    if (caseId === null) return holdAndAsk(ctx, message, choices, "mycase:to", "cases.which_case");
    await sendToCase(ctx, caseId, [message]);
    // The coordinator may answer only in working hours: words of crisis get the crisis lines now.
    if (message.text && soundsLikeCrisis(message.text)) await sendCrisis(ctx, true);
  });
  // A sticker, location, contact or poll while a request is open: it cannot be passed on, and they are told what can.
  c.on("message", async (ctx, next) => {
    if (ctx.message.text !== undefined || !(await openCasesOfRequester(ctx.deps.prisma, ctx.person!.id)).length) return next();
    await ctx.reply(ctx.t("intake.unsupported"));
  });
  // The answer to "which request is this about?": what was held goes there, and so does what follows.
  c.callbackQuery(/^mycase:to:(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    if (id === null) return stale(ctx);
    const open = await openCasesOfRequester(ctx.deps.prisma, ctx.person!.id);
    const held = open.some((x) => x.id === id) ? await releaseHeld(ctx) : [];
    await ack(ctx, held.length ? undefined : ctx.t("errors.stale_button"), !held.length);
    await clearButtons(ctx);
    if (!held.length) return;
    ctx.session.requestCaseId = id;
    await sendToCase(ctx, id, held);
  });
  return c;
}

export const myCasesFeature: Feature = { name: "my-cases", composer: myCases(), commands: ["mycases"] };
