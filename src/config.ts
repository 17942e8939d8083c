// Settings from the environment (and `.env`), checked once at start. A bad setting stops the start
// with one line that names it and says what is expected: admins read this, not a stack trace.
import { hostname } from "node:os";
import { z } from "zod";
import { escapeHtml, LOCALES } from "./i18n.js";
import { isTimeZone } from "./services/time.js";
import { AUDIENCES } from "./services/vocabulary.js";

/**
 * The longest operator name and address, and partner list, as sent (HTML-escaped: a quote or <>&
 * counts as several characters): the consent text is tested to fit one message with all of them.
 */
export const OPERATOR_MAX = 250;
export const PARTNERS_MAX = 400;
export const POLICY_URL_MAX = 300;
const escapedAtMost = (max: number) => (v: string) => escapeHtml(v).length <= max;

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => ["true", "1", "yes"].includes(v));

/** "1-5,7" → [1, 2, 3, 4, 5, 7] (ISO weekdays, Monday is 1). */
function weekdays(v: string): number[] {
  const days = new Set<number>();
  for (const part of v.split(",")) {
    const [a, b = a] = part.split("-").map(Number) as [number, number?];
    for (let d = a; d <= b!; d++) days.add(d);
  }
  return [...days].sort();
}

/** A programme's own crisis line: its number and its name, as the programme wrote them. */
export interface CrisisLine {
  phone: string;
  name: string;
}

/** "8-800-2000-122 Телефон доверия; 116 123 Vilties linija" → the lines (the number is the leading digits). */
function crisisLines(v: string): CrisisLine[] {
  return v.split(";").map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /^(\+?[\d][\d ()-]*\d)\s*[—–-]?\s*(.*)$/.exec(s);
    return m ? { phone: m[1]!.trim(), name: m[2]!.trim() } : { phone: "", name: s };
  });
}

const schema = z
  .object({
    BOT_TOKEN: z
      .string({ error: "is required: the token BotFather gave you, like 123456:ABC-DEF..." })
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456789:AA... (the token from BotFather)"),
    DATABASE_URL: z
      .string()
      .default("file:./data/bot.db")
      .refine((v) => /^file:/.test(v) || /^postgres(ql)?:\/\//.test(v), "must start with file: (SQLite) or postgresql://"),
    BOT_API_ROOT: z.url({ error: "must be a URL such as https://api.telegram.org" }).default("https://api.telegram.org"),
    ADMIN_TELEGRAM_IDS: z
      .string()
      .default("")
      .refine((v) => v.trim() === "" || /^\s*\d+\s*(,\s*\d+\s*)*$/.test(v), "must be Telegram user ids separated by commas, e.g. 12345,67890")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean).map(Number)),
    DEFAULT_LOCALE: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(", ")}` }).default("ru"),
    BOT_MODE: z.enum(["polling", "webhook"], { error: "must be polling or webhook" }).default("polling"),
    WEBHOOK_URL: z.url({ protocol: /^https$/, error: "must be the public https:// URL Telegram will call" }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z, a-z, 0-9, _ or -")
      .optional(),
    PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).default(8080),
    HOST: z.string().default("0.0.0.0"),
    NODE_ENV: z.string().default("development"),
    DATABASE_POOL_SIZE: z.coerce.number({ error: "must be a number of connections" }).int().min(2).max(200).default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number({ error: "must be milliseconds (0: no limit)" }).int().min(0).default(30_000),
    METRICS_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).optional(),
    METRICS_HOST: z.string().default("127.0.0.1"),
    INSTANCE_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z, a-z, 0-9, _ . : or -")
      .optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SESSION_STORAGE: z.enum(["database", "free"], { error: "must be database or free" }).default("database"),
    FREE_STORAGE_URL: z.url().optional(),
    PROGRAMME_NAME: z.string().min(1).max(200).default("Программа социальной поддержки"),
    PRIVACY_POLICY_URL: z.url({ error: "must be a URL of the privacy policy page" }).max(POLICY_URL_MAX, `must be at most ${POLICY_URL_MAX} characters`).optional(),
    PROGRAMME_NAME_RU: z.string().min(1).max(200).optional(),
    PROGRAMME_NAME_EN: z.string().min(1).max(200).optional(),
    PROGRAMME_NAME_LT: z.string().min(1).max(200).optional(),
    /** Who the programme serves; roles, the "about" text and the menu follow it. */
    PROGRAMME_AUDIENCES: z
      .string()
      .regex(/^\s*[a-z_]+\s*(,\s*[a-z_]+\s*)*$/, `must be a comma-separated list of ${AUDIENCES.join(", ")}`)
      .default("graduates,military_families,service_members")
      .transform((v) => v.split(",").map((s) => s.trim()))
      .refine((l) => l.every((a) => (AUDIENCES as readonly string[]).includes(a)), `must be a comma-separated list of ${AUDIENCES.join(", ")}`)
      .transform((l) => AUDIENCES.filter((a) => l.includes(a))),
    /** The operator of personal data (152-FZ art. 9 / GDPR art. 13): legal name and address. */
    OPERATOR_NAME: z.string().refine(escapedAtMost(OPERATOR_MAX), `must be at most ${OPERATOR_MAX} characters (quotes and <>& count as 4-6)`).optional(),
    OPERATOR_ADDRESS: z.string().refine(escapedAtMost(OPERATOR_MAX), `must be at most ${OPERATOR_MAX} characters (quotes and <>& count as 4-6)`).optional(),
    /** Partner organisations that receive a request when it concerns them (shown in the consent text). */
    PARTNER_ORGANISATIONS: z.string().refine(escapedAtMost(PARTNERS_MAX), `must be at most ${PARTNERS_MAX} characters (quotes and <>& count as 4-6)`).optional(),
    DATA_RETENTION_YEARS: z.coerce.number({ error: "must be a number of years" }).int().min(1).max(10).default(3),
    PRIVACY_POLICY_VERSION: z.string().min(1).max(40).default("2"),
    DROP_PENDING_UPDATES: bool.default(false),
    CASE_ACK_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int().min(1).default(1800),
    CASE_ACK_URGENT_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int().min(1).default(600),
    FORM_EXPIRY_DAYS: z.coerce.number({ error: "must be a number of days" }).int().min(1).max(365).default(30),
    KNOWLEDGE_DIR: z.string().min(1).optional(),
    EVENT_OFFER_HOURS: z.coerce.number({ error: "must be a number of hours" }).positive().max(24 * 30).default(24),
    EVENT_REMINDER_HOURS: z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*$/, "must be hours before the start, separated by commas, e.g. 24,2")
      .default("24,2")
      .transform((v) => v.split(",").map(Number).filter((n) => n > 0)),
    EVENT_TIME_ZONE: z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/Moscow").optional(),
    EVENT_JOBS_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    CASE_AUTOCLOSE_DAYS: z.coerce.number({ error: "must be a number of days" }).int().min(1).default(14),
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    /** Messages per second the whole bot sends, replies and outbox, all processes together (Telegram allows about 30). */
    OUTBOX_RATE_PER_SECOND: z.coerce.number({ error: "must be messages per second, e.g. 25" }).positive().max(10_000).default(25),
    /** The least time between two messages to one chat (Telegram: about one per second; replies may burst first). */
    OUTBOX_CHAT_GAP_MS: z.coerce.number({ error: "must be milliseconds, e.g. 1000" }).int().min(0).max(60_000).default(1000),
    /** The programme's time zone: report periods (calendar months, weeks) are counted in it. */
    ESCALATION_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
    // The programme's own contacts, shown with the crisis lines (help, urgent requests, nobody free).
    PROGRAMME_PHONE: z.string().regex(/^[+\d][\d ()-]{2,30}$/, "must be a phone number such as +7 800 123-45-67").optional(),
    PROGRAMME_EMAIL: z.email({ error: "must be an e-mail address" }).optional(),
    PROGRAMME_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "must be opening hours such as 09:00-18:00")
      .default("09:00-18:00"),
    PROGRAMME_WORKDAYS: z
      .string()
      .regex(/^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/, "must be weekdays 1 (Monday) to 7 (Sunday), e.g. 1-5 or 1-5,7")
      .default("1-5")
      .transform(weekdays),
    PROGRAMME_TIME_ZONE: z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/Moscow or Europe/Vilnius").optional(),
    // Crisis lines per country: "phone name; phone name". Empty: the defaults in locales/*/crisis.json.
    CRISIS_LINES_RU: z.string().max(1000).optional().transform((v) => (v ? crisisLines(v) : undefined)),
    CRISIS_LINES_LT: z.string().max(1000).optional().transform((v) => (v ? crisisLines(v) : undefined)),
    REGION_COUNTRIES: z
      .string()
      .regex(/^\s*(RU|LT)\s*(,\s*(RU|LT)\s*)*$/, "must be RU, LT or RU,LT")
      .transform((v) => v.split(",").map((s) => s.trim()))
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_MODE === "webhook" && !c.WEBHOOK_URL) ctx.addIssue({ code: "custom", path: ["WEBHOOK_URL"], message: "is required when BOT_MODE=webhook" });
    // The consent text must name the operator: a programme in production cannot run without it.
    for (const k of ["OPERATOR_NAME", "OPERATOR_ADDRESS"] as const) {
      if (c.NODE_ENV === "production" && !c[k]) ctx.addIssue({ code: "custom", path: [k], message: "is required when NODE_ENV=production (the consent text names the operator of personal data: legal name and address)" });
    }
    if (c.BOT_MODE === "webhook" && !c.WEBHOOK_SECRET) ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required when BOT_MODE=webhook (Telegram sends it back so forged calls are refused)" });
  });

/** Settings after defaults that depend on other settings are filled in. */
export type Config = Omit<z.infer<typeof schema>, "REGION_COUNTRIES" | "PROGRAMME_TIME_ZONE" | "EVENT_TIME_ZONE" | "INSTANCE_NAME"> & { REGION_COUNTRIES: string[]; PROGRAMME_TIME_ZONE: string; EVENT_TIME_ZONE: string; INSTANCE_NAME: string };

export class ConfigError extends Error {}

/** Parses settings; throws ConfigError with one readable line per bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty values in .env mean "not set", so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) {
    // Whose regions are offered: by default those of the programme's main language.
    const countries = result.data.REGION_COUNTRIES ?? [result.data.DEFAULT_LOCALE === "lt" ? "LT" : "RU"];
    // The programme's clock (deadlines in pings, opening hours): that of its main language's country.
    const timeZone = result.data.PROGRAMME_TIME_ZONE ?? (result.data.DEFAULT_LOCALE === "lt" ? "Europe/Vilnius" : "Europe/Moscow");
    // A new event starts in the programme's zone unless events have their own setting.
    // Which process this is, in logs and on the claims it takes: by default host and process id.
    const instance = result.data.INSTANCE_NAME ?? `${hostname()}:${process.pid}`;
    return { ...result.data, INSTANCE_NAME: instance, REGION_COUNTRIES: countries, PROGRAMME_TIME_ZONE: timeZone, EVENT_TIME_ZONE: result.data.EVENT_TIME_ZONE ?? timeZone };
  }
  const lines = result.error.issues.map((i) => {
    const name = String(i.path[0] ?? "config");
    const msg = i.code === "invalid_type" && cleaned[name] === undefined && !/required/.test(i.message) ? "is required" : i.message;
    return `${name} ${msg}`;
  });
  throw new ConfigError(`Configuration error: ${lines.join("; ")}`);
}

/**
 * No token, not production, not webhook: `npm start` opens the sandbox (the bot with a Telegram of
 * its own on loopback) instead of failing. In production a missing token stays a configuration error.
 */
export function sandboxWanted(env: Record<string, string | undefined> = process.env): boolean {
  const set = (k: string) => (env[k] ?? "").trim() !== "";
  return !set("BOT_TOKEN") && env.NODE_ENV !== "production" && (env.BOT_MODE ?? "").trim() !== "webhook";
}

/** The sandbox bot's token: only ever sent to the sandbox's own Bot API server. */
export const SANDBOX_TOKEN = "1000000001:sandbox-token-for-the-local-bot-api-only";

const sandboxSchema = z.object({
  SANDBOX_PORT: z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535).default(8080),
  SANDBOX_DATABASE_URL: z.string().regex(/^file:/, "must be a file: URL (the sandbox keeps its own SQLite file)").default("file:./data/sandbox.db"),
});

export type SandboxSettings = z.infer<typeof sandboxSchema>;

/** The sandbox's own settings (port, database file); throws ConfigError like loadConfig. */
export function loadSandboxSettings(env: Record<string, string | undefined> = process.env): SandboxSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const result = sandboxSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(`Configuration error: ${result.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}`);
}

/** The bot's settings in the sandbox: its token, its Bot API, its database, never production's. */
export function loadSandboxBotConfig(env: Record<string, string | undefined>, apiRoot: string, sandbox: SandboxSettings, adminIds: number[]): Config {
  return loadConfig({
    OUTBOX_INTERVAL_MS: "300",
    ...env,
    BOT_TOKEN: SANDBOX_TOKEN,
    BOT_API_ROOT: apiRoot,
    DATABASE_URL: sandbox.SANDBOX_DATABASE_URL,
    BOT_MODE: "polling",
    ADMIN_TELEGRAM_IDS: adminIds.join(","),
    WEBHOOK_URL: undefined,
    WEBHOOK_SECRET: undefined,
    SESSION_STORAGE: "database",
  });
}
