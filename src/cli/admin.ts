// Administration from the command line, on the same database as the bot (also while it runs):
//   npm run admin -- region list [--country RU]
//   npm run admin -- region disable RU-TAM [RU-LIP ...]
//   npm run admin -- region enable RU-TAM
//   npm run admin -- coordinator add --telegram-id N --regions RU-TAM,RU-LIP --categories payments,legal [--max-open N] [--supervisor]
//   npm run admin -- coordinator update --telegram-id N [--regions ...] [--categories ...] [--max-open N] [--supervisor | --no-supervisor]
//   npm run admin -- coordinator remove --telegram-id N      (their open cases go to others)
//   npm run admin -- coordinator list
//   npm run admin -- coordinator update --telegram-id N --organiser | --no-organiser   (may run events)
//   npm run admin -- event create|list|publish|cancel|attendees|figures ..., series create|figures ... (cli/events.ts)
//   npm run admin -- report figures|cases|people|coordinators ..., broadcast --file F --to ... (cli/reports.ts)
//   npm run admin -- kb import [--dir DIR] | kb search "question" [--lang ru] [--json] | kb stats (cli/knowledge.ts)
// Exits non-zero with a clear message on a mistake.
import "dotenv/config";
import { parseArgs } from "node:util";
import { openDatabase, type Db } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { seedRegions, setRegionEnabled } from "../services/regions.js";
import { addCoordinator, CoordinatorError, listCoordinators, queueCommandMenu, removeCoordinator, updateCoordinator } from "../services/cases/coordinators.js";
import { splitList } from "../services/cases/assignment.js";
import { systemClock } from "../services/clock.js";
import { knowledgeCommand, KnowledgeUsageError, type CliOutput } from "./knowledge.js";
import { eventCommand, EventsUsageError, EVENTS_USAGE, seriesCommand } from "./events.js";
import type { CaseSettings } from "../services/cases/lifecycle.js";
import { broadcastCommand, reportCommand, ReportsUsageError, REPORTS_USAGE, type ReportSettings } from "./reports.js";

class UsageError extends Error {}

const USAGE = `usage:
  npm run admin -- coordinator add --telegram-id N --regions RU-TAM,RU-LIP --categories payments,legal [--max-open N] [--supervisor]
  npm run admin -- coordinator update --telegram-id N [--regions ...] [--categories ...] [--max-open N] [--supervisor | --no-supervisor] [--organiser | --no-organiser]
  npm run admin -- coordinator remove --telegram-id N
  npm run admin -- coordinator list
  npm run admin -- region list [--country RU|LT]
  npm run admin -- region disable CODE [CODE ...]
  npm run admin -- region enable CODE [CODE ...]
  npm run admin -- kb import [--dir DIR]
  npm run admin -- kb search "question" [--lang ru|en|lt] [--json]
  npm run admin -- kb stats [--from YYYY-MM-DD]
${EVENTS_USAGE}
${REPORTS_USAGE}`;

async function region(db: Db, action: string | undefined, args: string[], country?: string): Promise<string> {
  if (action === "list") {
    const rows = await db.region.findMany({ where: country ? { country } : {}, orderBy: { sort: "asc" } });
    return rows.map((r) => `${r.code.padEnd(7)} ${r.enabled ? "on " : "off"} ${r.nameRu} / ${r.nameEn}${r.nameLt ? ` / ${r.nameLt}` : ""}`).join("\n");
  }
  if (action === "enable" || action === "disable") {
    if (!args.length) throw new UsageError(`region ${action} needs at least one region code, e.g. RU-TAM`);
    const unknown: string[] = [];
    for (const code of args) if (!(await setRegionEnabled(db, code.toUpperCase(), action === "enable"))) unknown.push(code);
    if (unknown.length) throw new UsageError(`unknown region code: ${unknown.join(", ")} (see: npm run admin -- region list)`);
    return `${action}d: ${args.map((a) => a.toUpperCase()).join(", ")}`;
  }
  throw new UsageError(USAGE);
}

type Options = { country?: string; "telegram-id"?: string; regions?: string; categories?: string; "max-open"?: string; supervisor?: boolean; "no-supervisor"?: boolean; organiser?: boolean; "no-organiser"?: boolean };

function settingsFromEnv(env: NodeJS.ProcessEnv): CaseSettings {
  return {
    ackSeconds: { normal: Number(env.CASE_ACK_SECONDS) || 1800, urgent: Number(env.CASE_ACK_URGENT_SECONDS) || 600 },
    adminTelegramIds: splitList(env.ADMIN_TELEGRAM_IDS ?? "").map(Number).filter(Number.isFinite),
  };
}

function reportSettings(env: NodeJS.ProcessEnv): ReportSettings {
  const tz = env.PROGRAMME_TIME_ZONE?.trim() || "Europe/Moscow";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new UsageError(`PROGRAMME_TIME_ZONE must be an IANA time zone such as Europe/Moscow (got "${tz}")`);
  }
  const s = settingsFromEnv(env);
  return { timeZone: tz, defaultLocale: env.DEFAULT_LOCALE?.trim() || "ru", ack: s.ackSeconds };
}

async function coordinator(db: Db, action: string | undefined, o: Options): Promise<string> {
  if (action === "list") {
    const rows = await listCoordinators(db);
    if (!rows.length) return "no coordinators yet";
    return rows
      .map((c) => `${String(c.telegramId).padEnd(12)} ${c.active ? (c.onDuty ? "on duty " : "off duty") : "removed "} ${c.supervisor ? "supervisor " : ""}open ${c.openCases}/${c.maxOpen}  regions: ${c.regions || "all"}  categories: ${c.categories || "-"}`)
      .join("\n");
  }
  const id = o["telegram-id"];
  if (!id || !/^\d+$/.test(id)) throw new UsageError(`coordinator ${action ?? ""} needs --telegram-id N (a number)\n${USAGE}`);
  const maxOpen = o["max-open"] !== undefined ? Number(o["max-open"]) : undefined;
  if (maxOpen !== undefined && (!Number.isInteger(maxOpen) || maxOpen < 1)) throw new UsageError("--max-open must be a whole number of at least 1");
  const regions = o.regions !== undefined ? splitList(o.regions.toUpperCase()) : undefined;
  const categories = o.categories !== undefined ? splitList(o.categories.toLowerCase()) : undefined;
  if (action === "add") {
    if (!categories && !o.supervisor) throw new UsageError("coordinator add needs --categories (or --supervisor)");
    const c = await addCoordinator(db, { telegramId: Number(id), regions: regions ?? [], categories: categories ?? [], maxOpen, supervisor: !!o.supervisor });
    // Their command menu gains the staff commands (sent by the running bot's outbox).
    await queueCommandMenu(db, systemClock(), c.telegramId);
    // Telegram lets a bot write only to people who have opened it; a ping it cannot deliver takes
    // the coordinator off duty (see pingUndeliverable), so say so up front.
    return `added coordinator ${c.telegramId} (regions: ${c.regions || "all"}, categories: ${c.categories || "-"}, max open ${c.maxOpen}${c.supervisor ? ", supervisor" : ""})\n` +
      "They receive pings once they have opened the bot in Telegram and pressed Start.";
  }
  if (action === "update") {
    const supervisor = o.supervisor ? true : o["no-supervisor"] ? false : undefined;
    if (o.organiser && o["no-organiser"]) throw new UsageError("give --organiser or --no-organiser, not both");
    const organiser = o.organiser ? true : o["no-organiser"] ? false : undefined;
    const c = await updateCoordinator(db, Number(id), { regions, categories, maxOpen, supervisor, organiser });
    if (supervisor !== undefined || organiser !== undefined) await queueCommandMenu(db, systemClock(), c.telegramId);
    return `updated coordinator ${c.telegramId} (regions: ${c.regions || "all"}, categories: ${c.categories || "-"}, max open ${c.maxOpen}${c.supervisor ? ", supervisor" : ""}${c.organiser ? ", organiser" : ""})`;
  }
  if (action === "remove") {
    const moved = await removeCoordinator(db, systemClock, Number(id), settingsFromEnv(process.env));
    await queueCommandMenu(db, systemClock(), Number(id)); // the staff commands go from their menu
    return `removed coordinator ${id}; ${moved} open case(s) handed to others`;
  }
  throw new UsageError(USAGE);
}

export async function runAdmin(argv: string[], databaseUrl: string): Promise<CliOutput> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        country: { type: "string" }, "telegram-id": { type: "string" }, regions: { type: "string" }, categories: { type: "string" },
        "max-open": { type: "string" }, supervisor: { type: "boolean" }, "no-supervisor": { type: "boolean" },
        dir: { type: "string" }, lang: { type: "string" }, json: { type: "boolean" }, from: { type: "string" },
        organiser: { type: "boolean" }, "no-organiser": { type: "boolean" },
        file: { type: "string" }, publish: { type: "boolean" }, all: { type: "boolean" }, format: { type: "string" }, out: { type: "string" },
        to: { type: "string" }, code: { type: "string" }, region: { type: "string" }, "with-contacts": { type: "boolean" }, yes: { type: "boolean" }, title: { type: "string" }, "complete-after": { type: "string" },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  const [subject, action, ...rest] = positionals;
  await migrate(databaseUrl);
  const db = await openDatabase(databaseUrl);
  try {
    await seedRegions(db.prisma);
    if (subject === "region") return { out: await region(db.prisma, action, rest, values.country?.toUpperCase()) };
    if (subject === "coordinator") return { out: await coordinator(db.prisma, action, values) };
    if (subject === "kb") return await knowledgeCommand(db.prisma, action, rest, values);
    if (subject === "event") return await eventCommand(db.prisma, systemClock, action, rest, values);
    if (subject === "series") return await seriesCommand(db.prisma, systemClock, action, rest, values);
    if (subject === "report") return await reportCommand(db.prisma, systemClock, action, values, reportSettings(process.env));
    if (subject === "broadcast") return await broadcastCommand(db.prisma, systemClock, values);
    throw new UsageError(USAGE);
  } catch (err) {
    throw err instanceof CoordinatorError || err instanceof KnowledgeUsageError || err instanceof EventsUsageError || err instanceof ReportsUsageError ? new UsageError(err.message) : err;
  } finally {
    await db.close();
  }
}

if (process.argv[1]?.endsWith("admin.ts")) {
  runAdmin(process.argv.slice(2), process.env.DATABASE_URL?.trim() || "file:./data/bot.db").then(
    ({ out, problems }) => {
      console.log(out);
      if (problems?.length) {
        console.error(problems.join("\n"));
        process.exitCode = 1;
      }
    },
    (err) => {
      console.error(err instanceof UsageError ? err.message : `error: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
