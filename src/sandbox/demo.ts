// Demo data of the sandbox, made on its first start (and after a reset) by the same services and
// event-file reader the admin CLI uses for real data: two coordinators for two regions (one a
// supervisor and organiser) and two published events. Knowledge-base starter articles are seeded
// by the app itself, as for every programme.
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import { addCoordinator, updateCoordinator } from "../services/cases/coordinators.js";
import { createEvent, publishEvent } from "../services/events/organise.js";
import { readEventFile } from "../cli/event-file.js";
import { ADMINISTRATOR } from "../cli/events.js";
import { CATEGORIES } from "../services/vocabulary.js";
import { systemClock } from "../services/clock.js";
import { PERSONAS } from "./personas.js";

/** "YYYY-MM-DD 18:00", `days` from now (the events' times are local to Europe/Moscow). */
const daysAhead = (days: number, hour: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)} ${String(hour).padStart(2, "0")}:00`;

function eventFiles(): [string, string][] {
  return [
    ["parents-club.yaml", [
      "code: parents-club", "kind: meeting",
      "title:", "  ru: \"Клуб родителей\"", "  en: \"Parents' club\"", "  lt: \"Tėvų klubas\"",
      "description:", "  ru: \"Встреча семей участников программы с психологом и юристом.\"", "  en: \"Families of the programme meet a psychologist and a lawyer.\"", "  lt: \"Programos šeimų susitikimas su psichologu ir teisininku.\"",
      "timeZone: Europe/Moscow", `starts: ${daysAhead(5, 18)}`, `ends: ${daysAhead(5, 20)}`, "place: Тамбов, ул. Советская, 1",
      "regions: [RU-TAM]", "audience: [family]", "capacity: 20",
    ].join("\n")],
    ["first-job.yaml", [
      "code: first-job", "kind: training",
      "title:", "  ru: \"Тренинг «Первая работа»\"", "  en: \"Training: your first job\"", "  lt: \"Mokymai „Pirmasis darbas“\"",
      "description:", "  ru: \"Как написать резюме, пройти собеседование и прочитать трудовой договор.\"", "  en: \"Writing a CV, passing an interview and reading an employment contract.\"", "  lt: \"Kaip parašyti gyvenimo aprašymą, pasiruošti pokalbiui ir perskaityti darbo sutartį.\"",
      "timeZone: Europe/Moscow", `starts: ${daysAhead(12, 11)}`, `ends: ${daysAhead(12, 16)}`, "place: Липецк, ул. Ленина, 10",
      "audience: [graduate]", "capacity: 15",
    ].join("\n")],
  ];
}

/** Creates the demo coordinators and events once: a database that has coordinators is left alone. */
export async function ensureDemoData(db: Db, logger: Logger): Promise<void> {
  if ((await db.coordinator.count()) > 0) return;
  const [anna, sveta] = [PERSONAS.find((p) => p.kind === "coordinator")!, PERSONAS.find((p) => p.kind === "supervisor")!];
  const categories = CATEGORIES.filter((c) => c !== "mentoring");
  await addCoordinator(db, { telegramId: anna.id, regions: ["RU-TAM"], categories: [...CATEGORIES] });
  await addCoordinator(db, { telegramId: sveta.id, regions: ["RU-LIP"], categories, supervisor: true });
  await updateCoordinator(db, sveta.id, { organiser: true });
  let events = 0;
  for (const [name, source] of eventFiles()) {
    const read = await readEventFile(db, new Date(), name, source);
    if ("problems" in read) {
      logger.warn({ problems: read.problems }, "sandbox demo event not created");
      continue;
    }
    const made = await createEvent(db, systemClock, read.event, ADMINISTRATOR);
    if (made !== "not_allowed" && "id" in made && (await publishEvent(db, systemClock, made.id, ADMINISTRATOR))) events++;
  }
  logger.info({ coordinators: 2, events }, "sandbox: demo data created");
}
