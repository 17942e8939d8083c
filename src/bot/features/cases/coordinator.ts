// The coordinator's side: the ping's buttons (Take / Decline with a reason / Ask a colleague),
// /queue, /case N with the timeline and actions, /duty, and replies that reach the requester.
// Every button is checked on the server: callback data can be forged.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, clearButtons } from "../../ui/menu.js";
import { caseSettings } from "./settings.js";
import { askColleague, caseNumber, changeStatus, declineCase, reassignTo, takeCase } from "../../../services/cases/lifecycle.js";
import { addCoordinatorMessage, type Incoming } from "../../../services/cases/messages.js";
import { caseForMessage, deliverToCase, holdAndAsk, releaseHeld } from "./chooser.js";
import { incomingOf, messageKey } from "./incoming.js";
import { caseCardText } from "./card.js";
import { caseFigures, caseForViewer, coordinatorByTelegram, queueOf, type CoordinatorRow } from "../../../services/cases/queries.js";
import { updateCoordinator } from "../../../services/cases/coordinators.js";
import { DECLINE_REASONS } from "../../../services/vocabulary.js";
import { escapeHtml } from "../../../i18n.js";

async function me(ctx: BotContext): Promise<CoordinatorRow | null> {
  return ctx.from ? coordinatorByTelegram(ctx.deps.prisma, ctx.from.id) : null;
}

export async function showCase(ctx: BotContext, number: string): Promise<void> {
  const coordinator = await me(ctx);
  const admin = ctx.deps.config.ADMIN_TELEGRAM_IDS.includes(ctx.from!.id);
  const c = await caseForViewer(ctx.deps.prisma, number, { personId: ctx.person?.id, coordinator, admin });
  if (!c) return void (await ctx.reply(ctx.t("cases.not_found", { number: escapeHtml(number) }), { parse_mode: "HTML" }));
  const staff = !!coordinator || admin;
  const kb = new InlineKeyboard();
  if (staff && ["in_progress", "waiting"].includes(c.status)) {
    kb.text(ctx.t("coordinator.reply_here"), `case:reply:${c.id}`).row();
    if (c.status === "in_progress") kb.text(ctx.t("coordinator.to_waiting"), `case:wait:${c.id}`);
    kb.text(ctx.t("coordinator.resolve"), `case:resolve:${c.id}`);
  }
  if (staff && c.status === "assigned" && c.coordinatorId === coordinator?.id) kb.text(ctx.t("coordinator.take"), `case:take:${c.id}`);
  if (coordinator?.supervisor && ["new", "assigned", "in_progress", "waiting"].includes(c.status)) kb.row().text(ctx.t("coordinator.reassign"), `case:reassign:${c.id}`);
  await ctx.reply(caseCardText(ctx, c, staff), { reply_markup: kb });
}

const TAKE = /^case:take:(\d+)$/;
const DECLINE = /^case:decline:(\d+)$/;
const DECLINE_WHY = /^case:why:(\d+):([a-z_]+)$/;
const COLLEAGUE = /^case:colleague:(\d+)$/;
const STATUS = /^case:(wait|resolve):(\d+)$/;
const REPLY = /^case:reply:(\d+)$/;
const REASSIGN = /^case:reassign:(\d+)$/;
const REASSIGN_TO = /^case:to:(\d+):(\d+)$/;

/** Sends a coordinator's messages into the case and tells them what became of them. */
function replyInCase(ctx: BotContext, coordinatorId: number, caseId: number, messages: Incoming[]): Promise<void> {
  return deliverToCase(ctx, caseId, messages, "coordinator.sent", (msg) => addCoordinatorMessage(ctx.deps.prisma, ctx.deps.clock, caseId, coordinatorId, msg, false));
}

function coordinator(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const settings = (ctx: BotContext) => caseSettings(ctx.deps.config);

  // Everything below is for coordinators only; anyone else pressing a forged button is refused.
  const staffOnly = async (ctx: BotContext, run: (m: CoordinatorRow) => Promise<unknown>) => {
    const m = await me(ctx);
    if (!m) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
    await run(m);
  };

  c.callbackQuery(TAKE, (ctx) =>
    staffOnly(ctx, async (m) => {
      const id = Number(ctx.match[1]);
      const r = await takeCase(ctx.deps.prisma, ctx.deps.clock, id, m.id);
      await ack(ctx, ctx.t(`coordinator.take_${r}`), r !== "taken");
      if (r === "taken" || r === "already_taken") await ctx.editMessageReplyMarkup().catch(() => undefined);
      if (r === "taken") {
        ctx.session.replyCaseId = id;
        await ctx.reply(ctx.t("coordinator.taken_help"));
      }
    }),
  );
  c.callbackQuery(DECLINE, (ctx) =>
    staffOnly(ctx, async () => {
      await ack(ctx);
      const kb = new InlineKeyboard();
      for (const r of DECLINE_REASONS) kb.text(ctx.t(`coordinator.reason.${r}`), `case:why:${ctx.match[1]}:${r}`).row();
      await ctx.reply(ctx.t("coordinator.decline_why"), { reply_markup: kb });
    }),
  );
  c.callbackQuery(DECLINE_WHY, (ctx) =>
    staffOnly(ctx, async (m) => {
      const reason = ctx.match[2] as (typeof DECLINE_REASONS)[number];
      if (!DECLINE_REASONS.includes(reason)) return ack(ctx, ctx.t("errors.stale_button"), true);
      const ok = await declineCase(ctx.deps.prisma, ctx.deps.clock, Number(ctx.match[1]), m.id, reason, settings(ctx));
      await ack(ctx, ctx.t(ok ? "coordinator.declined" : "coordinator.take_not_allowed"), !ok);
      await clearButtons(ctx, ok ? ctx.t("coordinator.declined") : undefined);
    }),
  );
  c.callbackQuery(COLLEAGUE, (ctx) =>
    staffOnly(ctx, async (m) => {
      const colleague = await askColleague(ctx.deps.prisma, ctx.deps.clock, Number(ctx.match[1]), m.id);
      await ack(ctx, ctx.t(colleague ? "coordinator.colleague_asked" : "coordinator.no_colleague"), true);
    }),
  );
  c.callbackQuery(STATUS, (ctx) =>
    staffOnly(ctx, async (m) => {
      const id = Number(ctx.match[2]);
      if (!(await caseForViewer(ctx.deps.prisma, caseNumber(id), { coordinator: m }))) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
      const to = ctx.match[1] === "wait" ? "waiting" : "resolved";
      const ok = await changeStatus(ctx.deps.prisma, ctx.deps.clock, id, to, `coordinator:${m.id}`);
      await ack(ctx, ok ? ctx.t(`cases.status.${to}`) : ctx.t("errors.stale_button"), !ok);
      if (ok) await clearButtons(ctx);
    }),
  );
  c.callbackQuery(REPLY, (ctx) =>
    staffOnly(ctx, async (m) => {
      ctx.session.replyCaseId = Number(ctx.match[1]);
      await ack(ctx, ctx.t("coordinator.reply_chosen"), true);
      const held = await releaseHeld(ctx);
      if (held.length) await replyInCase(ctx, m.id, Number(ctx.match[1]), held);
    }),
  );
  c.callbackQuery(REASSIGN, (ctx) =>
    staffOnly(ctx, async (m) => {
      await ack(ctx);
      if (!m.supervisor) return ctx.reply(ctx.t("coordinator.not_allowed"));
      const others = await ctx.deps.prisma.coordinator.findMany({ where: { active: true, id: { not: m.id } }, orderBy: { openCases: "asc" }, take: 10 });
      const kb = new InlineKeyboard();
      for (const o of others) kb.text(`#${o.id} · ${o.openCases}/${o.maxOpen}`, `case:to:${ctx.match[1]}:${o.id}`).row();
      await ctx.reply(ctx.t("coordinator.reassign_to"), { reply_markup: kb });
    }),
  );
  c.callbackQuery(REASSIGN_TO, (ctx) =>
    staffOnly(ctx, async (m) => {
      const id = Number(ctx.match[1]);
      if (!m.supervisor || !(await caseForViewer(ctx.deps.prisma, caseNumber(id), { coordinator: m }))) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
      const ok = await reassignTo(ctx.deps.prisma, ctx.deps.clock, id, Number(ctx.match[2]), `coordinator:${m.id}`);
      await ack(ctx, ctx.t(ok ? "coordinator.reassigned" : "errors.stale_button"), !ok);
      await clearButtons(ctx);
    }),
  );

  c.command("queue", async (ctx) => {
    const m = await me(ctx);
    if (!m) return ctx.reply(ctx.t("coordinator.not_allowed"));
    const q = await queueOf(ctx.deps.prisma, m.id);
    if (!q.length) return ctx.reply(ctx.t("coordinator.queue_empty", { duty: ctx.t(m.onDuty ? "coordinator.on_duty" : "coordinator.off_duty") }));
    const kb = new InlineKeyboard();
    for (const x of q) kb.text(`${x.urgency === "urgent" ? "🔴 " : ""}#${x.number} · ${ctx.t(`categories.${x.category}`)} · ${ctx.t(`cases.status.${x.status}`)}`, `case:open:${x.number}`).row();
    await ctx.reply(ctx.t("coordinator.queue", { count: q.length }), { reply_markup: kb });
  });
  c.callbackQuery(/^case:open:(A-\d+)$/, async (ctx) => {
    await ack(ctx);
    await showCase(ctx, ctx.match[1]!);
  });
  c.command("case", async (ctx) => {
    const number = ctx.match.trim();
    if (!/^#?A-\d+$/i.test(number)) return ctx.reply(ctx.t("cases.case_usage"));
    await showCase(ctx, number);
  });
  c.command("duty", async (ctx) => {
    const m = await me(ctx);
    if (!m) return ctx.reply(ctx.t("coordinator.not_allowed"));
    const updated = await updateCoordinator(ctx.deps.prisma, ctx.from!.id, { onDuty: !m.onDuty });
    await ctx.reply(ctx.t(updated.onDuty ? "coordinator.duty_on" : "coordinator.duty_off"));
  });
  c.command("note", async (ctx) => {
    const m = await me(ctx);
    const [, number, text] = /^#?(A-\d+)\s+([\s\S]+)$/i.exec(ctx.match.trim()) ?? [];
    if (!m || !number || !text) return ctx.reply(ctx.t(m ? "coordinator.note_usage" : "coordinator.not_allowed"));
    const c2 = await caseForViewer(ctx.deps.prisma, number, { coordinator: m });
    if (!c2) return ctx.reply(ctx.t("cases.not_found", { number }));
    const r = await addCoordinatorMessage(ctx.deps.prisma, ctx.deps.clock, c2.id, m.id, { text, kind: "text", chatId: ctx.chat!.id, messageId: ctx.msg!.message_id, key: messageKey(ctx.msg!) }, true);
    // Says what happened: a colleague who was only asked to look cannot leave notes.
    await ctx.reply(ctx.t(r === "noted" ? "coordinator.noted" : `coordinator.sent_${r}`, { number: c2.number }));
  });

  // A coordinator's message goes to the case it is for (case-chooser.ts); else they are asked.
  c.on(["message:text", "message:photo", "message:document"], async (ctx, next) => {
    if (ctx.message.text?.startsWith("/")) return next();
    const m = await me(ctx);
    if (!m) return next();
    const queue = await queueOf(ctx.deps.prisma, m.id);
    const talking = queue.filter((x) => x.status === "in_progress" || x.status === "waiting").map((x) => ({ id: x.id, label: `#${x.number}` }));
    // A reply to a relayed message names its case even when it is closed (they are then told so).
    const caseId = await caseForMessage(ctx, talking, ctx.session.replyCaseId);
    if (caseId === null && !talking.length) return next();
    const message = incomingOf(ctx.message, ctx.chat.id);
    if (caseId === null) return holdAndAsk(ctx, message, talking, "case:reply", "coordinator.which_case");
    await replyInCase(ctx, m.id, caseId, [message]);
  });
  return c;
}

export const coordinatorFeature: Feature = { name: "coordinator", composer: coordinator(), commands: ["queue", "case", "duty"] };
