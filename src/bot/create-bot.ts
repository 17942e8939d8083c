// Builds the bot from its dependencies. Tests build it the same way, with a fixed botInfo (no
// getMe) and a recorder of API calls, so no network is needed.
import { Bot, Composer, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { conversations, createConversation } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import type { BotContext, BotDeps, FlowContext, SessionData } from "./context.js";
import type { Feature } from "./feature.js";
import { installApiDefaults } from "./transport/api-defaults.js";
import { pacedFetch } from "./transport/pacing.js";
import { chatKey, chatStorage, CONVERSATION_PREFIX, CONVERSATION_STORAGE_VERSION } from "./transport/storage.js";
import { privateOnly } from "./middleware/private-only.js";
import { dedupe } from "./transport/dedupe.js";
import { localeMiddleware } from "./middleware/locale.js";
import { messageLimits } from "./middleware/limits.js";
import { errorBoundary } from "./middleware/error-boundary.js";
import { cancelFeature } from "./features/cancel.js";
import { onboardingFeature } from "./features/onboarding.js";
import { languageFeature } from "./features/language.js";
import { helpFeature } from "./features/help.js";
import { privacyFeature } from "./features/privacy.js";
import { consentGateFeature } from "./features/consent-gate.js";
import { fallbackFeature } from "./features/fallback.js";
import { registrationFeature } from "./features/registration.js";
import { profileFeature } from "./features/profile.js";
import { guardianFeature } from "./features/guardian.js";
import { personalDataFeature } from "./features/personal-data.js";
import { helpRequestFeature } from "./features/cases/help-request.js";
import { coordinatorFeature } from "./features/cases/coordinator.js";
import { myCasesFeature } from "./features/cases/my-cases.js";
import { editsFeature } from "./features/cases/edits.js";
import { invitesFeature } from "./features/invites.js";
import { faqFeature } from "./features/knowledge/browse.js";
import { questionsFeature } from "./features/knowledge/questions.js";
import { knowledgeStatsFeature } from "./features/knowledge/stats.js";
import { eventsFeature } from "./features/events/catalogue.js";
import { eventSignupFeature } from "./features/events/signup.js";
import { myEventsFeature } from "./features/events/mine.js";
import { eventOrganiserFeature } from "./features/events/organiser.js";
import { eventCheckinFeature } from "./features/events/checkin.js";
import { organiseFeature } from "./features/events/organise.js";
import { broadcastFeature } from "./features/announcements/broadcast.js";
import { announcementSettingsFeature, reachableAgain } from "./features/announcements/settings.js";
import { statsFeature } from "./features/reports/stats.js";

/** Features usable before consent come before the gate; everything after it needs consent. */
export const PUBLIC_FEATURES: Feature[] = [onboardingFeature, languageFeature, helpFeature, privacyFeature];
export const MEMBER_FEATURES: Feature[] = [
  // An administrator's next message after /broadcast is the announcement: before anything that reads free text.
  announcementSettingsFeature, broadcastFeature,
  registrationFeature, profileFeature, guardianFeature, personalDataFeature, helpRequestFeature, invitesFeature,
  // Coordinators' messages are routed before requesters', so staff who are also requesters reply in their cases.
  coordinatorFeature, myCasesFeature, editsFeature,
  // Browsing, and free text as a question: after the open-request relay, so a person with an open
  // request keeps writing to their coordinator.
  eventsFeature, eventSignupFeature, myEventsFeature, eventOrganiserFeature, eventCheckinFeature, organiseFeature,
  faqFeature, knowledgeStatsFeature, statsFeature, questionsFeature,
];

export interface BotOptions {
  botInfo?: UserFromGetMe;
  /**
   * The HTTP fetch used for Bot API calls. Tests pass one that records calls and answers like
   * Telegram; unlike an API transformer it also sits beneath the conversations' replay log.
   */
  fetch?: typeof fetch;
  /** Extra features that need consent, after the standard ones (tests add some). */
  features?: Feature[];
}

export function allFeatures(members: Feature[] = []): Feature[] {
  return [cancelFeature, ...PUBLIC_FEATURES, consentGateFeature, ...members, fallbackFeature];
}

export function createBot(deps: BotDeps, opts: BotOptions = {}): Bot<BotContext> {
  const { config } = deps;
  const bot = new Bot<BotContext>(config.BOT_TOKEN, {
    botInfo: opts.botInfo,
    // Replies take their slot of the budget all processes share (transport/pacing.ts).
    client: { apiRoot: config.BOT_API_ROOT, fetch: pacedFetch(deps, opts.fetch) },
  });
  installApiDefaults(bot.api);
  const features = allFeatures([...MEMBER_FEATURES, ...(opts.features ?? [])]);

  // Every error stops here: logged, the person gets an apology, other updates go on. (bot.catch
  // alone does not cover handleUpdate as used by webhooks and tests.)
  const root = bot.errorBoundary(errorBoundary(deps));
  bot.catch(errorBoundary(deps));
  root.use(async (ctx, next) => {
    ctx.deps = deps;
    await next();
  });
  root.use(privateOnly());
  // Claims around sequentialize: arrivals notes what this process has queued, claim keeps a chat's
  // updates one at a time and in order across processes (transport/dedupe.ts).
  const inbox = dedupe((update) => bot.handleUpdate(update));
  root.use(inbox.arrivals);
  root.use(sequentialize(chatKey));
  root.use(inbox.claim);
  // The chat's session rows and the person are read once, after the claim (they rely on per-chat order).
  const storage = chatStorage(deps);
  root.use(storage.preloadChat);
  root.use(session({ initial: (): SessionData => ({}), storage: storage.sessions, getSessionKey: chatKey }));
  root.use(localeMiddleware<BotContext>(deps));
  root.use(reachableAgain);
  root.use(messageLimits());
  root.use(
    conversations<BotContext, FlowContext>({
      storage: { type: "key", version: CONVERSATION_STORAGE_VERSION, prefix: CONVERSATION_PREFIX, adapter: storage.conversations(), getStorageKey: chatKey },
      plugins: [
        // Inside a conversation the bot's middleware does not run: give it language, deps and the
        // same API behaviour (retries, HTML) as outside, and the person as read for the update in
        // hand (not read again for every update the conversation replays).
        async (ctx, next) => {
          installApiDefaults(ctx.api);
          const person = storage.personInHand(ctx);
          if (person !== undefined) ctx.person = person;
          await next();
        },
        localeMiddleware<FlowContext>(deps),
      ],
    }),
  );
  // /cancel comes before the conversations so it can always leave them.
  root.use(features[0]!.composer);
  const flows = new Composer<BotContext>();
  for (const f of features) for (const conv of f.conversations ?? []) flows.use(createConversation(conv.builder, { id: conv.id, maxMillisecondsToWait: undefined }));
  root.use(flows);
  for (const f of features.slice(1)) root.use(f.composer);
  return bot;
}

/** Commands for Telegram's menu: /start and /menu first, /cancel last, the rest in feature order. */
export function commandsOf(features: Feature[]): string[] {
  const all = features.flatMap((f) => f.commands ?? []);
  const rank = (c: string) => (c === "start" ? 0 : c === "menu" ? 1 : c === "cancel" ? 3 : 2);
  return all.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
}
