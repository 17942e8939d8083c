// A feature is a Composer plus what it adds to the shared surfaces: commands in Telegram's command
// menu and conversations. createBot puts the features together in order.
import type { Composer } from "grammy";
import type { ConversationBuilder } from "@grammyjs/conversations";
import type { BotContext, FlowContext } from "./context.js";

export interface Feature {
  name: string;
  composer: Composer<BotContext>;
  /** Commands shown in the Telegram command menu; descriptions are `commands.<command>` in locales. */
  commands?: string[];
  conversations?: { id: string; builder: ConversationBuilder<BotContext, FlowContext> }[];
}
