// The knowledge base and its shared pieces for the bot's knowledge features: one KnowledgeBase per
// database (its index is rebuilt when articles change) and the hand-over of
// a question to a coordinator. Browsing and free-text questions both take these from here.
import type { BotContext, BotDeps } from "../../context.js";
import { KnowledgeBase } from "../../../services/knowledge/catalogue.js";
import { recordKnowledgeEvent } from "../../../services/knowledge/store.js";
import { regionOf } from "../../../services/people/profiles.js";
import { enterHelpRequest } from "../cases/enter.js";
import { hasUnfinishedForm, offerResume } from "../../forms/resume.js";
import type { Category } from "../../../services/vocabulary.js";

const bases = new WeakMap<object, KnowledgeBase>();

export function knowledge(deps: BotDeps): KnowledgeBase {
  let kb = bases.get(deps.prisma);
  if (!kb) bases.set(deps.prisma, (kb = new KnowledgeBase(deps.prisma, () => deps.clock().getTime())));
  return kb;
}

/** The person's role and region, which rank articles written for them first. */
export async function reader(ctx: BotContext) {
  const where = ctx.person ? await regionOf(ctx.deps.prisma, ctx.person.id) : null;
  return { lang: ctx.locale, role: ctx.person?.role ?? null, region: where?.regionCode ?? null, country: where?.country ?? null };
}

/**
 * "I need a person": the help-request form opens with the kind of help and the question filled in.
 * No registration first: the form asks the region of someone without a profile.
 */
export async function handOver(ctx: BotContext, what: { category?: Category; question?: string; articleId?: string | null }): Promise<void> {
  if (hasUnfinishedForm(ctx)) return offerResume(ctx);
  await recordKnowledgeEvent(ctx.deps.prisma, { kind: "handover", at: ctx.deps.clock(), articleId: what.articleId ?? null, personId: ctx.person!.id, lang: ctx.locale, key: ctx.callbackQuery ? `kb:${ctx.callbackQuery.id}` : null });
  await enterHelpRequest(ctx, { category: what.category, description: what.question });
}
