// /profile: what the person told us, in their language, with a button per field to change it
// (through the same question and checks as registration) and a way to change role.
import { military } from "../ui/programme.js";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext, LocaleFlavor } from "../context.js";
import type { Feature } from "../feature.js";
import { ack, menuScreen, withMenuButton } from "../ui/menu.js";
import { CB } from "../ui/callbacks.js";
import { needsGuardian } from "../../services/people/guardian.js";
import { BACK, RESTART, type Flow } from "../forms/ask.js";
import { askField } from "../forms/fields.js";
import { hasUnfinishedForm, offerResume } from "../forms/resume.js";
import { profileLines } from "../ui/profile-view.js";
import { askRole } from "./registration.js";
import { fieldsFor, getProfile, updateProfileField, type EditableField, type ProfileRow } from "../../services/people/profiles.js";
import { isOneOf, ROLES, type Interest } from "../../services/vocabulary.js";

const EDIT = /^profile:edit:([a-zA-Z]+)$/;
export const PROFILE_EDIT = "profile-edit";

function profileCard(ctx: LocaleFlavor, p: ProfileRow): { text: string; kb: InlineKeyboard } {
  const role = isOneOf(ROLES, p.role) ? p.role : "family";
  const kb = new InlineKeyboard();
  fieldsFor(role, military(ctx.deps.config)).forEach((f, i) => {
    kb.text(`✏️ ${ctx.t(`profile.fields.${f}`)}`, `profile:edit:${f}`);
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(ctx.t("profile.change_role"), "profile:role").row().text(ctx.t("profile.my_data"), "profile:mydata").text(ctx.t("profile.delete"), "profile:deleteme");
  if (needsGuardian(p, ctx.deps.clock())) kb.row().text(ctx.t("consent.guardian_button"), CB.guardianAsk);
  withMenuButton(ctx, kb);
  return { text: `${ctx.t("profile.title")}\n\n${profileLines(ctx, role, p, p.region)}`, kb };
}

async function showProfile(ctx: BotContext): Promise<void> {
  if (hasUnfinishedForm(ctx)) return offerResume(ctx);
  const p = await getProfile(ctx.deps.prisma, ctx.person!.id);
  if (!p) return askRole(ctx);
  const { text, kb } = profileCard(ctx, p);
  await ctx.reply(text, { reply_markup: kb });
}

async function editField(conversation: Flow, ctx: FlowContext, field: EditableField) {
  const { prisma, clock } = ctx.deps;
  const current = await conversation.external(() => getProfile(prisma, ctx.person!.id));
  if (!current || !isOneOf(ROLES, current.role) || !(fieldsFor(current.role, military(ctx.deps.config)) as readonly string[]).includes(field)) return;
  // Only what the questions look at: the phone's country and the current interests.
  const draft = { role: current.role, regionCode: current.regionCode ?? undefined, birthDate: current.birthDate, interests: current.interests.split(",").filter(Boolean) as Interest[] };
  const answer = await askField(conversation, ctx, field, draft, false);
  if (answer === BACK || answer === RESTART) return;
  await conversation.external(() => updateProfileField(prisma, clock, ctx.person!.id, field, answer as never));
  const updated = await conversation.external(() => getProfile(prisma, ctx.person!.id));
  const { text, kb } = profileCard(ctx, updated!);
  await ctx.reply(`${ctx.t("profile.saved")}\n\n${text}`, { reply_markup: kb });
}

function profile(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "profile", showProfile);
  c.callbackQuery(EDIT, async (ctx) => {
    await ack(ctx);
    const field = ctx.match[1]!;
    // Checked against the person's own role here and again inside the form: data can be forged.
    const role = ctx.person?.role;
    if (!role || !(fieldsFor(role, military(ctx.deps.config)) as readonly string[]).includes(field)) return ctx.reply(ctx.t("errors.stale_button"));
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    await ctx.conversation.enter(PROFILE_EDIT, field);
  });
  c.callbackQuery("profile:role", async (ctx) => {
    await ack(ctx);
    await askRole(ctx, true);
  });
  return c;
}

export const profileFeature: Feature = {
  name: "profile",
  composer: profile(),
  commands: ["profile"],
  conversations: [{ id: PROFILE_EDIT, builder: editField }],
};
