// grammY 1.46 builds every `on`, `command`, `callbackQuery` and `hears` on `Composer.filter`, which
// goes through `branch` and `lazy`: for every update, at every handler it passes, a new Composer and
// a chain of closures are made just to decide "this handler or the next". An update here passes
// about fifty of them before one answers: 12 % of the bot's CPU in the bench's profile. This gives
// `filter` the same meaning (the predicate decides, sync or async; the returned composer runs the
// middleware and takes more) without allocating per update. Imported first by create-bot.ts, before
// any feature builds its composer; it must never change what a handler sees or when it runs.
import { Composer, type Context, type Middleware, type MiddlewareFn, type NextFunction } from "grammy";

const PATCHED = Symbol.for("support-bot.filters");

type Predicate<C extends Context> = (ctx: C) => boolean | Promise<boolean>;

function filter<C extends Context>(this: Composer<C>, predicate: Predicate<C>, ...middleware: Array<Middleware<C>>): Composer<C> {
  const composer = new Composer<C>(...middleware);
  // middleware() is read per update: the returned composer may still get handlers after this.
  const run = (ctx: C, next: NextFunction) => composer.middleware()(ctx, next);
  const branch: MiddlewareFn<C> = (ctx, next) => {
    try {
      const ok = predicate(ctx);
      if (typeof (ok as Promise<boolean>)?.then === "function") return (ok as Promise<boolean>).then((yes) => (yes ? run(ctx, next) : next()));
      return ok ? run(ctx, next) : next();
    } catch (err) {
      return Promise.reject(err); // as from grammY's own (async) filter
    }
  };
  this.use(branch);
  return composer;
}

const proto = Composer.prototype as unknown as Record<PropertyKey, unknown>;
if (!proto[PATCHED]) {
  proto[PATCHED] = proto.filter;
  proto.filter = filter;
}

/** grammY's own filter, as shipped (the bench's bare bot uses it, to stay a fair floor). */
export const grammyFilter = proto[PATCHED] as Composer<Context>["filter"];
