// What a person sent, as the case services take it: text, or the file of a photo (largest size) or
// document with its caption, and the per-update key that makes storing it idempotent. Shared by
// the help-request form and both directions of the relay.
import type { Message } from "grammy/types";
import type { Incoming } from "../../../services/cases/messages.js";
import { messageKey, pressKey } from "../../../services/delivery/updates.js";

export interface Attachment {
  kind: "photo" | "document";
  fileId: string;
  caption?: string;
}

export function attachmentOf(m: Message): Attachment | null {
  const caption = m.caption ? { caption: m.caption } : {};
  if (m.photo) return { kind: "photo", fileId: m.photo.at(-1)!.file_id, ...caption };
  if (m.document) return { kind: "document", fileId: m.document.file_id, ...caption };
  return null;
}

// Per-update keys are spelled once, with the update inbox that records them.
export { messageKey, pressKey };

export function incomingOf(m: Message, chatId: number): Incoming {
  const file = attachmentOf(m);
  const text = file ? file.caption : m.text;
  return { ...(text !== undefined ? { text } : {}), kind: file?.kind ?? "text", ...(file ? { fileId: file.fileId } : {}), chatId, messageId: m.message_id, key: messageKey(m) };
}
