/** Time as the services see it; tests pass a fixed clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
