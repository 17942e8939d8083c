// The bench's fixed mix of updates (test/bench/run.ts, queries.ts): first contact, then what people
// do most — menu, help, text, a stale button, a sticker.
import type { Update } from "grammy/types";

let updateId = 1;
const user = (id: number) => ({ id, is_bot: false as const, first_name: "Bench", language_code: "ru" });
const msg = (id: number, text: string, command = false): Update => ({
  update_id: updateId++,
  message: { message_id: updateId, date: 0, chat: { id, type: "private", first_name: "Bench" }, from: user(id), text, ...(command ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}) },
});
const press = (id: number, data: string): Update => ({
  update_id: updateId++,
  callback_query: { id: String(updateId), from: user(id), chat_instance: "b", data, message: { message_id: 1, date: 0, chat: { id, type: "private", first_name: "Bench" }, text: "…" } as never },
});
const sticker = (id: number): Update => ({
  update_id: updateId++,
  message: { message_id: updateId, date: 0, chat: { id, type: "private", first_name: "Bench" }, from: user(id), sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } },
});

/** Each chat's updates, in order: 3 of first contact, then `rounds` × 6. */
export function benchMix(chats: number, rounds: number): Update[][] {
  const perChat: Update[][] = [];
  for (let c = 0; c < chats; c++) {
    const id = 1_000_000 + c;
    const seq: Update[] = [msg(id, "/start", true), press(id, "lang:ru"), press(id, "consent:yes")];
    for (let r = 0; r < rounds; r++) {
      seq.push(msg(id, "/menu", true), press(id, "menu:help"), msg(id, "Здравствуйте, мне нужна помощь"), press(id, "lang:xx"), msg(id, "/help", true));
      seq.push(sticker(id));
    }
    perChat.push(seq);
  }
  return perChat;
}

/** A short name for an update of the mix: its command, button data, "text" or "sticker". */
export function kindOf(u: Update): string {
  if (u.callback_query) return `press ${u.callback_query.data}`;
  if (u.message?.sticker) return "sticker";
  const text = u.message?.text ?? "";
  return text.startsWith("/") ? text : "text";
}
