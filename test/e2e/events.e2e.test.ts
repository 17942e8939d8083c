// The real bot process against the Bot API emulator: an organiser puts on an event with the CLI, a
// family member opens its deep link (language and consent first), registers, signs up, gets the
// confirmation with the calendar file, is reminded before the start, and is checked in when the
// organiser scans her code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { E2E_TOKEN, e2eWorld } from "../helpers/emulator.js";
import { client, onboard, registerFamily } from "../helpers/emulator-people.js";
import { checkinPayload } from "../../src/bot/features/events/checkin.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
// A reminder 0.04 h (2.4 min) before a start 3–4 minutes away falls due within the test.
beforeAll(async () => {
  world = await e2eWorld({ OUTBOX_INTERVAL_MS: "100", EVENT_JOBS_INTERVAL_MS: "500", EVENT_REMINDER_HOURS: "0.04" });
});
afterAll(() => world.stop());

const admin = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, ...world.env }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

// The check-in comes before the start, so "now" and the start must be one day in the event's zone:
// near midnight UTC the event is put in Tokyo (UTC+9, no summer time), where it is morning.
const zone = new Date().getUTCHours() >= 22 ? { name: "Asia/Tokyo", offsetMs: 9 * 3_600_000 } : { name: "UTC", offsetMs: 0 };
/** "YYYY-MM-DD HH:MM" in the event's zone, a whole minute at least `minutes` from now. */
const localIn = (minutes: number) => new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000 + zone.offsetMs).toISOString().slice(0, 16).replace("T", " ");

it("deep link → consent → registration → sign-up → .ics → reminder → QR check-in", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "event-"));
  const file = path.join(dir, "event.yaml");
  writeFileSync(file, [
    "code: parents-club", "kind: meeting", "title:", "  ru: Клуб родителей", "description:", "  ru: Встреча семей участников программы.",
    `timeZone: ${zone.name}`, `starts: ${localIn(3)}`, `ends: ${localIn(63)}`, "place: Тамбов, ул. Советская, 1", "capacity: 10",
  ].join("\n"));
  admin("coordinator", "add", "--telegram-id", "6001", "--regions", "RU-TAM", "--categories", "other");
  admin("coordinator", "update", "--telegram-id", "6001", "--organiser");
  expect(admin("event", "create", "--file", file, "--publish")).toContain("?start=ev_parents-club");
  await world.start();

  const olga = client(world, 6001, "Ольга");
  const maria = client(world, 6101, "Мария");
  await onboard(olga);

  await maria.command("/start ev_parents-club");
  await maria.expect(/Выберите язык/);
  await maria.press("lang:ru");
  await maria.expect(/Вы даёте согласие/);
  await maria.press("consent:yes");
  const card = await maria.expect(/<b>Клуб родителей<\/b>/);
  expect(card.text).toContain("Осталось 10 мест из 10");
  await registerFamily(maria, "Иванова Мария");
  const join = card.buttons.find((b) => b[1].startsWith("ev:join:"))!;
  await maria.press(join[1]); // no questions for this event: the press is the sign-up
  await maria.expect(/Вы записаны!/);
  const confirmed = await maria.expect(/Вы записаны: <b>Клуб родителей<\/b>/);
  expect(confirmed.document?.file_name).toBe("parents-club.ics");
  expect(confirmed.document?.contents).toContain("BEGIN:VEVENT");

  await maria.expect(/⏰ Напоминание/, 150_000);

  const db = new Database(world.dbFile, { readonly: true });
  const { id } = db.prepare(`SELECT id FROM Enrolment`).get() as { id: number };
  db.close();
  // Her QR code holds this link; the organiser's camera opens it in the bot on the event's day.
  await olga.command(`/start ${checkinPayload(E2E_TOKEN, id)}`);
  await olga.expect(/Отмечен\(а\): Иванова Мария — Клуб родителей/);
  await olga.command(`/start ${checkinPayload(E2E_TOKEN, id)}`);
  await olga.expect(/Уже отмечен\(а\) сегодня/);
}, 240_000);
