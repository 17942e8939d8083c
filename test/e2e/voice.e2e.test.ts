// A family member sends a voice message in an open request and the coordinator receives it
// (sendVoice, with the case number), and the coordinator answers by voice: through the Bot API
// emulator and the real bot process. The emulator's client makes only text messages, so the voice
// message is its message with the text replaced by Telegram's `voice` field (emulator.ts `send`);
// the emulator has no sendVoice either, and emulator.ts adds it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { botMessages, e2eWorld } from "../helpers/emulator.js";
import { askForHelp, client as emulatorClient, onboard, registerFamily } from "../helpers/emulator-people.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld({ OUTBOX_INTERVAL_MS: "100", PROGRAMME_PHONE: "+7 800 555-35-35" });
});
afterAll(() => world.stop());

it("a voice message in an open request reaches the coordinator, and a voice answer comes back", async () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", "coordinator", "add", "--telegram-id", "6201", "--regions", "RU-TAM", "--categories", "payments"], { env: { ...process.env, ...world.env }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  await world.start();
  const anna = emulatorClient(world, 6201, "Анна");
  const maria = emulatorClient(world, 6301, "Мария");
  for (const p of [anna, maria]) await onboard(p);
  await registerFamily(maria, "Иванова Мария");

  const number = await askForHelp(maria, "Не пришла выплата", "normal");
  const ping = await anna.expect(new RegExp(`Обращение #${number}</b>`));
  expect(ping.text).toContain("📍 Тамбовская область");
  expect(ping.text).toContain("⏳ Взять до");
  await anna.press(ping.buttons[0]![1]);
  await maria.expect(new RegExp(`#${number}</b> занимается координатор Анна`));

  await maria.send({ voice: { file_id: "VOICE-FROM-MARIA", file_unique_id: "vm", duration: 12, mime_type: "audio/ogg" } });
  await maria.expect(/Передано координатору/);
  const got = await anna.expect(new RegExp(`💬 <b>#${number}</b> · Заявитель`));
  expect(got.file).toEqual({ method: "sendVoice", fileId: "VOICE-FROM-MARIA" });

  await anna.send({ voice: { file_id: "VOICE-FROM-ANNA", file_unique_id: "va", duration: 20 }, caption: "Перезвоню завтра" });
  await anna.expect(/Отправлено заявителю/);
  const back = await maria.expect(new RegExp(`#${number}</b> · Координатор\\nПерезвоню завтра`));
  expect(back.file).toEqual({ method: "sendVoice", fileId: "VOICE-FROM-ANNA" });
  expect(botMessages(world.server, 6201).filter((m) => m.file?.method === "sendVoice")).toHaveLength(1);
  const logs = world.running.map((p) => p.output()).join("");
  expect(logs).not.toMatch(/Иванова|Перезвоню/);
}, 120_000);
