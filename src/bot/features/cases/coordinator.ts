// The coordinator's side: the ping's buttons (Take / Decline with a reason / Ask a colleague),
// /queue, /case N with the timeline and actions, /duty, and replies that reach the requester.
// Every button is checked on the server: callback data can be forged.
import { Composer, InlineKeyboard, type CallbackQueryContext } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack, clearButtons } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { caseSettings } from "./settings.js";
import { askColleague, caseNumber, changeStatusAsStaff, declineCase, reassignTo, takeCase, type StaffActor } from "../../../services/cases/lifecycle.js";
import { addCoordinatorMessage, type Incoming } from "../../../services/cases/messages.js";
import { caseForMessage, deliverToCase, holdAndAsk, releaseHeld } from "./chooser.js";
import { CASE_MESSAGES, incomingOf, messageKey, pressKey } from "./incoming.js";
import { caseCardText } from "./card.js";
import { accessTo, caseForViewer, queueOf, reassignTargets, type CoordinatorRow } from "../../../services/cases/queries.js";
import type { CaseAccess } from "../../../services/cases/access.js";
import { updateCoordinator } from "../../../services/cases/coordinators.js";
import { DECLINE_REASONS } from "../../../services/vocabulary.js";
import { escapeHtml } from "../../../i18n.js";
import { coordinatorOf, isAdmin } from "../../ui/staff.js";

const me = (ctx: BotContext): Promise<CoordinatorRow | null> => coordinatorOf(ctx);

export async function showCase(ctx: BotContext, number: string): Promise<void> {
  const coordinator = await me(ctx);
  const c = await caseForViewer(ctx.deps.prisma, number, { personId: ctx.person?.id, coordinator, admin: isAdmin(ctx) });
  if (!c) return void (await ctx.reply(ctx.t("cases.not_found", { number: escapeHtml(number) }), { parse_mode: "HTML" }));
  const { access } = c;
  const kb = new InlineKeyboard();
  const talking = ["in_progress", "waiting"].includes(c.status);
  if (access.reply && talking) kb.text(ctx.t("coordinator.reply_here"), `case:reply:${c.id}`).row();
  if (access.status && c.status === "in_progress") kb.text(ctx.t("coordinator.to_waiting"), `case:wait:${c.id}`);
  if (access.status && talking) kb.text(ctx.t("coordinator.resolve"), `case:resolve:${c.id}`);
  if (access.take && c.status === "assigned") kb.text(ctx.t("coordinator.take"), `case:take:${c.id}`);
  if (access.reassign && ["new", "assigned", "in_progress", "waiting"].includes(c.status)) kb.row().text(ctx.t("coordinator.reassign"), `case:reassign:${c.id}`);
  await ctx.reply(caseCardText(ctx, c, access.staff), { reply_markup: kb });
}

// The case id is the group `id` in every pattern.
const TAKE = /^case:take:(?<id>\d+)$/;
const DECLINE = /^case:decline:(?<id>\d+)$/;
const DECLINE_WHY = /^case:why:(?<id>\d+):(?<reason>[a-z_]+)$/;
const COLLEAGUE = /^case:colleague:(?<id>\d+)$/;
const STATUS = /^case:(?<to>wait|resolve):(?<id>\d+)$/;
const REPLY = /^case:reply:(?<id>\d+)$/;
const REASSIGN = /^case:reassign:(?<id>\d+)$/;
const REASSIGN_TO = /^case:to:(?<id>\d+):(?<to>\d+)$/;

/** Sends a coordinator's messages into the case and tells them what became of them. */
function replyInCase(ctx: BotContext, coordinatorId: number, caseId: number, messages: Incoming[]): Promise<void> {
  return deliverToCase(ctx, caseId, messages, "coordinator.sent", (msg) => addCoordinatorMessage(ctx.deps.prisma, ctx.deps.clock, caseId, coordinatorId, msg, false));
}

type CaseButtonContext = CallbackQueryContext<BotContext>;
interface Pressed {
  m: CoordinatorRow;
  caseId: number;
  staff: StaffActor;
  groups: Record<string, string | undefined>;
}

/**
 * A button on one case. Callback data can be forged, so: an id no row can have is an old button;
 * the presser must be a coordinator; and the access rule must let them do `action` with that case
 * (null when the service checks it itself and says why not).
 */
function onCase(c: Composer<BotContext>, pattern: RegExp, action: keyof CaseAccess | null, run: (ctx: CaseButtonContext, p: Pressed) => Promise<unknown>) {
  c.callbackQuery(pattern, async (ctx) => {
    const groups = (typeof ctx.match === "string" ? undefined : ctx.match.groups) ?? {};
    const caseId = dbInt(groups.id);
    if (caseId === null) return ack(ctx, ctx.t("errors.stale_button"), true);
    const m = await me(ctx);
    if (!m) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
    const staff = { coordinatorId: m.id, admin: isAdmin(ctx) };
    if (action && !(await accessTo(ctx.deps.prisma, caseId, { coordinator: m, admin: staff.admin }))[action]) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
    await run(ctx, { m, caseId, staff, groups });
  });
}

function coordinator(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const settings = (ctx: BotContext) => caseSettings(ctx.deps.config);

  onCase(c, TAKE, null, async (ctx, { m, caseId, staff }) => {
    const r = await takeCase(ctx.deps.prisma, ctx.deps.clock, caseId, m.id, { admin: staff.admin, firstName: ctx.from.first_name });
    await ack(ctx, ctx.t(`coordinator.take_${r}`), r !== "taken");
    if (r === "taken" || r === "already_taken") await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (r === "taken") {
      ctx.session.replyCaseId = caseId;
      await ctx.reply(ctx.t("coordinator.taken_help"));
    }
  });
  onCase(c, DECLINE, "decline", async (ctx, { caseId }) => {
    await ack(ctx);
    const kb = new InlineKeyboard();
    for (const r of DECLINE_REASONS) kb.text(ctx.t(`coordinator.reason.${r}`), `case:why:${caseId}:${r}`).row();
    await ctx.reply(ctx.t("coordinator.decline_why"), { reply_markup: kb });
  });
  onCase(c, DECLINE_WHY, "decline", async (ctx, { m, caseId, groups }) => {
    const reason = groups.reason as (typeof DECLINE_REASONS)[number];
    if (!DECLINE_REASONS.includes(reason)) return ack(ctx, ctx.t("errors.stale_button"), true);
    const ok = await declineCase(ctx.deps.prisma, ctx.deps.clock, caseId, m.id, reason, settings(ctx));
    await ack(ctx, ctx.t(ok ? "coordinator.declined" : "coordinator.take_not_allowed"), !ok);
    await clearButtons(ctx, ok ? ctx.t("coordinator.declined") : undefined);
  });
  onCase(c, COLLEAGUE, "decline", async (ctx, { m, caseId }) => {
    // One colleague per ping: a double press or a re-delivered press of the same button asks no one else.
    const once = `colleague:${caseId}:${m.id}:${ctx.callbackQuery.message?.message_id ?? pressKey(ctx.callbackQuery)}`;
    const colleague = await askColleague(ctx.deps.prisma, ctx.deps.clock, caseId, m.id, once);
    await ack(ctx, ctx.t(colleague ? "coordinator.colleague_asked" : "coordinator.no_colleague"), true);
  });
  onCase(c, STATUS, "status", async (ctx, { caseId, staff, groups }) => {
    const to = groups.to === "wait" ? "waiting" : "resolved";
    const ok = await changeStatusAsStaff(ctx.deps.prisma, ctx.deps.clock, caseId, to, staff);
    await ack(ctx, ok ? ctx.t(`cases.status.${to}`) : ctx.t("errors.stale_button"), !ok);
    if (ok) await clearButtons(ctx);
  });
  onCase(c, REPLY, "reply", async (ctx, { m, caseId }) => {
    ctx.session.replyCaseId = caseId;
    await ack(ctx, ctx.t("coordinator.reply_chosen"), true);
    const held = await releaseHeld(ctx);
    if (held.length) await replyInCase(ctx, m.id, caseId, held);
  });
  onCase(c, REASSIGN, "reassign", async (ctx, { m, caseId }) => {
    await ack(ctx);
    const targets = await reassignTargets(ctx.deps.prisma, caseId, m.id);
    if (!targets.length) return ctx.reply(ctx.t("coordinator.reassign_nobody"));
    const kb = new InlineKeyboard();
    for (const o of targets) kb.text(`#${o.id} · ${o.openCases}/${o.maxOpen}`, `case:to:${caseId}:${o.id}`).row();
    await ctx.reply(ctx.t("coordinator.reassign_to"), { reply_markup: kb });
  });
  onCase(c, REASSIGN_TO, "reassign", async (ctx, { caseId, staff, groups }) => {
    const to = dbInt(groups.to);
    const r = to === null ? "stale" : await reassignTo(ctx.deps.prisma, ctx.deps.clock, caseId, to, staff);
    const key = { reassigned: "coordinator.reassigned", full: "coordinator.reassign_full", not_allowed: "coordinator.not_allowed", stale: "errors.stale_button" }[r];
    await ack(ctx, ctx.t(key), r !== "reassigned");
    await clearButtons(ctx);
  });

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
    const c2 = await caseForViewer(ctx.deps.prisma, number, { coordinator: m, admin: isAdmin(ctx) });
    if (!c2) return ctx.reply(ctx.t("cases.not_found", { number }));
    const note = { text, kind: "text" as const, chatId: ctx.chat!.id, messageId: ctx.msg!.message_id, key: messageKey(ctx.msg!) };
    const r = c2.access.note ? await addCoordinatorMessage(ctx.deps.prisma, ctx.deps.clock, c2.id, m.id, note, true) : "not_allowed";
    // Says what happened: a colleague who was only asked to look cannot leave notes.
    await ctx.reply(ctx.t(r === "noted" ? "coordinator.noted" : `coordinator.sent_${r}`, { number: c2.number }));
  });

  // A coordinator's message goes to the case it is for (case-chooser.ts); else they are asked.
  c.on(CASE_MESSAGES, async (ctx, next) => {
    if (ctx.message.text?.startsWith("/")) return next();
    const m = await me(ctx);
    if (!m) return next();
    const queue = await queueOf(ctx.deps.prisma, m.id);
    const talking = queue.filter((x) => x.status === "in_progress" || x.status === "waiting").map((x) => ({ id: x.id, label: `#${x.number}` }));
    // A supervisor who chose "Reply here" on a case of their region they do not hold writes there too.
    const chosen = ctx.session.replyCaseId;
    const other = chosen && !talking.some((x) => x.id === chosen) ? await ctx.deps.prisma.case.findUnique({ where: { id: chosen }, select: { status: true, coordinatorId: true } }) : null;
    if (other && other.coordinatorId !== m.id && ["in_progress", "waiting"].includes(other.status) && (await accessTo(ctx.deps.prisma, chosen!, { coordinator: m, admin: isAdmin(ctx) })).reply) {
      talking.push({ id: chosen!, label: `#${caseNumber(chosen!)}` });
    }
    // A reply to a relayed message names its case even when it is closed (they are then told so).
    const caseId = await caseForMessage(ctx, talking, ctx.session.replyCaseId);
    if (caseId === null && !talking.length) return next();
    const message = incomingOf(ctx.message, ctx.chat.id);
    if (caseId === null) return holdAndAsk(ctx, message, talking, "case:reply", "coordinator.which_case");
    await replyInCase(ctx, m.id, caseId, [message]);
  });
  // A sticker, location or the like while talking in cases: it cannot be relayed, and they are told so.
  c.on("message", async (ctx, next) => {
    if (ctx.message.text !== undefined) return next(); // an unknown command: the fallback answers it
    const m = await me(ctx);
    if (!m || !(await queueOf(ctx.deps.prisma, m.id)).some((x) => x.status === "in_progress" || x.status === "waiting")) return next();
    await ctx.reply(ctx.t("intake.unsupported"));
  });
  return c;
}

export const coordinatorFeature: Feature = { name: "coordinator", composer: coordinator(), commands: ["queue", "case", "duty"] };
