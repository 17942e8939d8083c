// One message a second to one chat, as Telegram asks ("When sending messages inside a particular
// chat, avoid sending more than one message per second. We may allow short bursts that go over
// this limit" — Bot FAQ), for the bot's direct replies: a private chat may get a short burst of
// PRIVATE_BURST at once (an answer and its menu, a long text in two pieces go out without a wait),
// then one per gap. Groups get no burst (the bot answers in private chats only).
//
// Kept in the process's memory, not in the database: a chat's updates are handled one at a time
// across all processes (the inbox claim), so replies to one chat never come from two processes at
// the same moment, and a person writes at a human pace; what this catches is one update that
// sends many messages, or a person pressing buttons faster than Telegram allows. The outbox keeps
// its own gap per chat in the database (services/delivery/pacing.ts).

/** Messages a private chat may get at once before the gap applies. */
export const PRIVATE_BURST = 3;

export class ChatGaps {
  /** Per chat, when its bucket is empty again ("theoretical arrival time"), epoch ms. */
  private due = new Map<string, number>();

  constructor(private gapMs: number) {}

  /**
   * Books `n` messages to `chat` (sent in one call) and returns when that call may go (epoch ms);
   * later calls to the chat line up behind it.
   */
  book(chat: string | number, n: number, now: number): number {
    if (this.gapMs <= 0) return now;
    const key = String(chat);
    const burst = key.startsWith("-") ? 1 : PRIVATE_BURST;
    const cells = Math.min(Math.max(1, n), burst);
    const due = this.due.get(key) ?? now;
    const at = Math.max(now, due + (cells - burst) * this.gapMs);
    this.due.set(key, Math.max(due, at) + cells * this.gapMs);
    if (this.due.size > 10_000) this.forget(now);
    return at;
  }

  /** Drops chats whose bucket is full again (they would book exactly as a new chat). */
  private forget(now: number): void {
    for (const [k, due] of this.due) if (due <= now) this.due.delete(k);
  }
}
