// Minors' representatives: a graduate aged 14-17 names the parent, guardian or institution that
// also agrees (a short form: name, then contact), and a coordinator who may confirm (administrator,
// supervisor or event organiser; checked on every press and command) confirms from the notice or
// from /minors. Until then the minor can browse events but not sign up (services/events/rules.ts).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext } from "../context.js";
import type { Feature } from "../feature.js";
import { CB, dbInt } from "../ui/callbacks.js";
import { ack, withMenuButton } from "../ui/menu.js";
import { ask, type Flow } from "../forms/ask.js";
import { hasUnfinishedForm, offerResume } from "../forms/resume.js";
import { confirmGuardian, isMinor, mayConfirmGuardians, pendingGuardians, recordGuardian } from "../../services/people/guardian.js";
import { getProfile } from "../../services/people/profiles.js";
import { ageOn, checkContact, checkInstitution, type Checked } from "../../services/validation.js";
import { regionName } from "../../services/regions.js";

export const GUARDIAN_FORM = "guardian";

function textStep(conversation: Flow, ctx: FlowContext, key: string, check: (s: string) => Checked<string>, back: boolean) {
  return ask(conversation, ctx, {
    text: ctx.t(key),
    back,
    async handle(u) {
      const text = u.message?.text;
      if (text === undefined) return u.message ? { error: "need_text" } : undefined;
      const r = check(text);
      return r.ok ? { done: r.value } : { error: r.reason, params: r.params };
    },
  });
}

async function guardianForm(conversation: Flow, ctx: FlowContext) {
  for (;;) {
    const name = await textStep(conversation, ctx, "consent.ask_guardian_name", checkInstitution, false);
    if (typeof name !== "string") return;
    const contact = await textStep(conversation, ctx, "consent.ask_guardian_contact", checkContact, true);
    if (typeof contact !== "string") continue; // Back: the name again
    await conversation.external(() => recordGuardian(ctx.deps.prisma, ctx.deps.clock, ctx.person!.id, name, contact, ctx.deps.config.ADMIN_TELEGRAM_IDS));
    await ctx.reply(ctx.t("consent.guardian_saved", { name }), { reply_markup: withMenuButton(ctx) });
    return;
  }
}

/** Tells a minor graduate that a representative must also agree, with the way to name one. */
export async function offerGuardian(ctx: BotContext | FlowContext): Promise<void> {
  const kb = new InlineKeyboard().text(ctx.t("consent.guardian_button"), CB.guardianAsk).row();
  await ctx.reply(ctx.t("consent.minor_notice"), { reply_markup: withMenuButton(ctx, kb) });
}

async function listPending(ctx: BotContext): Promise<void> {
  if (!(await mayConfirmGuardians(ctx.deps.prisma, ctx.from!.id, ctx.deps.config.ADMIN_TELEGRAM_IDS))) return void (await ctx.reply(ctx.t("coordinator.not_allowed")));
  const rows = await pendingGuardians(ctx.deps.prisma);
  if (!rows.length) return void (await ctx.reply(ctx.t("consent.staff_none")));
  const now = ctx.deps.clock();
  for (const p of rows) {
    const text = ctx.t("consent.staff_pending", {
      who: p.fullName ?? "—", age: p.birthDate ? ageOn(p.birthDate, now) : "—", region: p.region ? regionName(p.region, ctx.locale) : "—",
      name: p.guardianName, contact: p.guardianContact ?? "—",
    });
    await ctx.reply(text, { reply_markup: new InlineKeyboard().text(ctx.t("consent.staff_confirm"), `guardian:ok:${p.personId}`) });
  }
}

function guardian(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.callbackQuery(CB.guardianAsk, async (ctx) => {
    await ack(ctx);
    const p = await getProfile(ctx.deps.prisma, ctx.person!.id);
    if (!isMinor(p, ctx.deps.clock())) return void (await ctx.reply(ctx.t("errors.stale_button")));
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    await ctx.conversation.enter(GUARDIAN_FORM);
  });
  c.command("minors", listPending);
  c.callbackQuery(CB.guardianConfirm, async (ctx) => {
    // The presser is checked, not the message: callback data can be forged.
    if (!(await mayConfirmGuardians(ctx.deps.prisma, ctx.from.id, ctx.deps.config.ADMIN_TELEGRAM_IDS))) return ack(ctx, ctx.t("coordinator.not_allowed"), true);
    const personId = dbInt(ctx.match[1]);
    const r = personId ? await confirmGuardian(ctx.deps.prisma, ctx.deps.clock, personId, ctx.from.id) : "not_found";
    if (r === "not_found") return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx, r === "already" ? ctx.t("consent.staff_already") : undefined);
    const p = await ctx.deps.prisma.profile.findUnique({ where: { personId: personId! }, select: { fullName: true } });
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (r === "confirmed") await ctx.reply(ctx.t("consent.staff_confirmed", { who: p?.fullName ?? "—" }));
  });
  return c;
}

export const guardianFeature: Feature = {
  name: "guardian",
  composer: guardian(),
  conversations: [{ id: GUARDIAN_FORM, builder: guardianForm }],
};
