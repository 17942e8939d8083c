// The events settings from the bot's configuration: how long a seat offered from the waiting list
// waits for an answer, and when reminders go out (EVENT_OFFER_HOURS, EVENT_REMINDER_HOURS).
import type { Config } from "../../../config.js";
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from "../../../services/events/settings.js";

export function eventSettings(config: Config): EventSettings {
  return { ...DEFAULT_EVENT_SETTINGS, offerHours: config.EVENT_OFFER_HOURS, reminderHours: config.EVENT_REMINDER_HOURS };
}
