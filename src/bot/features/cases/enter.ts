// Opening the help-request form from elsewhere (the knowledge base's "I need a person"), with what
// is already known filled in. A small module without a composer, so features need not import
// each other.
import type { BotContext } from "../../context.js";
import type { Category } from "../../../services/vocabulary.js";

export const HELP_REQUEST = "help-request";

/** What the form starts with: the kind of help (the first question is then skipped) and the description. */
export interface HelpRequestPrefill {
  category?: Category;
  description?: string;
}

export async function enterHelpRequest(ctx: BotContext, prefill?: HelpRequestPrefill): Promise<void> {
  await ctx.conversation.enter(HELP_REQUEST, ...(prefill ? [prefill] : []));
}
