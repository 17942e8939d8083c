import type { Config } from "../../../config.js";
import type { CaseSettings } from "../../../services/cases/lifecycle.js";

export function caseSettings(config: Config): CaseSettings {
  return { ackSeconds: { normal: config.CASE_ACK_SECONDS, urgent: config.CASE_ACK_URGENT_SECONDS }, adminTelegramIds: config.ADMIN_TELEGRAM_IDS };
}
