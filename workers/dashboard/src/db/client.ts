import { drizzle } from "drizzle-orm/d1";

/** One drizzle handle per request; drizzle holds no state beyond the binding. */
export const dbOf = (d1: D1Database) => drizzle(d1);
export type Db = ReturnType<typeof dbOf>;
