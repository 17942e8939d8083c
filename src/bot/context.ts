// The one context type every handler sees, and what the bot is built from.
import type { Context, SessionFlavor } from "grammy";
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { i18n } from "i18next";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Locale, Translate } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { Clock } from "../services/clock.js";
import type { PersonState } from "../services/people/people.js";

export interface BotDeps {
  config: Config;
  prisma: Db;
  logger: Logger;
  i18n: i18n;
  clock: Clock;
  /** The HTTP client for downloading files people send (transport/files.ts); the global fetch when absent. */
  fetch?: typeof fetch;
}

/** Per-chat scratch state. Nothing personal: conversation drafts live in conversation storage. */
export interface SessionData {
  /** The last main-menu message, whose buttons are removed when a newer menu is sent. */
  menuMessageId?: number;
  /** A coordinator's chosen case for messages that are not replies to a relayed one. */
  replyCaseId?: number;
  /** A requester's chosen case for free messages, when they have several open. */
  requestCaseId?: number;
  /** A rated case waiting for an optional comment. */
  ratingCommentCaseId?: number;
  /** The person's last question to the knowledge base (its event id; the words stay in the database). */
  kbQuestion?: number;
  /** A question they were asked to say another way: if that fails too, this one goes to a coordinator. */
  kbFirstQuestion?: number;
  /** An event opened (deep link, Sign up) before consent or registration: shown again once done. */
  pendingEvent?: number;
  /** An administrator's /broadcast waiting for the message: the audience chosen (ids and codes only). */
  broadcast?: { role?: string; region?: string; event?: string };
  /** An invite link opened before consent, used once consent is given. */
  pendingInvite?: string;
}

export interface LocaleFlavor {
  locale: Locale;
  t: Translate;
  deps: BotDeps;
  /** The person writing, or null before they have chosen a language. */
  person: PersonState | null;
}

/** Context outside conversations. */
export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & LocaleFlavor>;
/** Context inside conversations: only what the conversation plugins give it. */
export type FlowContext = Context & LocaleFlavor;
