// /broadcast for administrators: choose the audience (buttons for everyone or a role; region and
// event as arguments, `/broadcast role=family,region=RU-TAM`), send or forward the message (text,
// photo, document), see the count and a preview, confirm. Confirming queues one outbox row per
// person (services/delivery/announcements.ts) and turns the confirmation into the progress message
// with Pause / Resume / Cancel. Every step re-checks that the presser is an administrator.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { isAdmin } from "../../ui/staff.js";
import { dbInt } from "../../ui/callbacks.js";
import { messageKey } from "../../../services/delivery/updates.js";
import { ROLES } from "../../../services/vocabulary.js";
import {
  announcementStatus, AudienceError, audienceProblem, controlAnnouncement, countAudience, createAnnouncement, parseAudience, queueAnnouncement, type Audience,
} from "../../../services/delivery/announcements.js";
import { ANN_CB, annData, progressView } from "./progress.js";

const AUDIENCE_CB = /^bc:aud:(all|graduate|family|service_member)$/;

function audienceLabel(ctx: BotContext, a: Audience): string {
  const parts = [a.role ? ctx.t(`registration.roles.${a.role}`) : null, a.region ?? null, a.event ? `#${a.event}` : null].filter(Boolean);
  return parts.length ? parts.join(", ") : ctx.t("announcements.everyone");
}

async function askForMessage(ctx: BotContext, a: Audience): Promise<void> {
  ctx.session.broadcast = { ...a };
  const count = await countAudience(ctx.deps.prisma, a);
  await ctx.reply(ctx.t("announcements.write", { audience: audienceLabel(ctx, a), count }));
}

function broadcast(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("broadcast", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply(ctx.t("announcements.not_allowed"));
    const arg = ctx.match.trim();
    if (arg) {
      let a: Audience;
      try {
        a = parseAudience(arg);
      } catch (err) {
        return ctx.reply(ctx.t("announcements.bad_audience", { problem: (err as AudienceError).message }));
      }
      const problem = await audienceProblem(ctx.deps.prisma, a);
      if (problem) return ctx.reply(ctx.t("announcements.bad_audience", { problem }));
      return askForMessage(ctx, a);
    }
    const kb = new InlineKeyboard().text(ctx.t("announcements.everyone"), "bc:aud:all").row();
    for (const r of ROLES) kb.text(ctx.t(`registration.roles.${r}`), `bc:aud:${r}`).row();
    await ctx.reply(ctx.t("announcements.choose"), { reply_markup: kb });
  });

  c.callbackQuery(AUDIENCE_CB, async (ctx) => {
    if (!isAdmin(ctx)) return ctx.answerCallbackQuery(ctx.t("announcements.not_allowed"));
    await ctx.answerCallbackQuery();
    const role = ctx.match[1]!;
    await askForMessage(ctx, role === "all" ? {} : { role });
  });

  // The message to announce: the next one the administrator sends after choosing the audience.
  c.on(["message:text", "message:photo", "message:document"], async (ctx, next) => {
    const a = ctx.session.broadcast;
    if (!a || !isAdmin(ctx)) return next();
    if (ctx.message.text?.startsWith("/")) return next();
    ctx.session.broadcast = undefined;
    const id = await createAnnouncement(ctx.deps.prisma, ctx.deps.clock, { createdBy: ctx.person?.id ?? null, audience: a, source: { chatId: ctx.chat.id, messageId: ctx.message.message_id }, key: messageKey(ctx.message) });
    const count = await countAudience(ctx.deps.prisma, a);
    await ctx.reply(ctx.t("announcements.preview_below"));
    await ctx.api.copyMessage(ctx.chat.id, ctx.chat.id, ctx.message.message_id);
    const kb = new InlineKeyboard().text(ctx.t("announcements.confirm", { count }), annData("send", id)).row().text(ctx.t("announcements.drop"), annData("drop", id));
    await ctx.reply(ctx.t("announcements.summary", { audience: audienceLabel(ctx, a), count }), { reply_markup: kb });
  });
  c.on("message", async (ctx, next) => {
    if (!ctx.session.broadcast || !isAdmin(ctx) || ctx.message.text?.startsWith("/")) return next();
    await ctx.reply(ctx.t("announcements.wrong_kind"));
  });

  c.callbackQuery(ANN_CB, async (ctx) => {
    if (!isAdmin(ctx)) return ctx.answerCallbackQuery(ctx.t("announcements.not_allowed"));
    const action = ctx.match[1]!;
    const id = dbInt(ctx.match[2]);
    const { prisma, clock } = ctx.deps;
    const row = id ? await prisma.announcement.findUnique({ where: { id }, select: { status: true } }) : null;
    if (!id || !row) return ctx.answerCallbackQuery(ctx.t("announcements.gone"));
    await ctx.answerCallbackQuery();
    const msg = ctx.callbackQuery.message;
    if (action === "drop") {
      if (row.status === "draft") await prisma.announcement.update({ where: { id }, data: { status: "cancelled" } });
      return msg && ctx.editMessageText(ctx.t("announcements.dropped"));
    }
    if (action === "send") {
      if (!msg) return;
      await queueAnnouncement(prisma, clock, id, { chatId: ctx.chat!.id, messageId: msg.message_id });
    } else {
      await controlAnnouncement(prisma, clock, id, action as "pause" | "resume" | "cancel");
    }
    const p = await announcementStatus(prisma, clock, id);
    if (p && msg) {
      const view = progressView(ctx.deps, ctx.locale, p);
      await ctx.editMessageText(view.text, { reply_markup: view.reply_markup }).catch(() => undefined);
    }
  });
  return c;
}

export const broadcastFeature: Feature = { name: "broadcast", composer: broadcast(), };
