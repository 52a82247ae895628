// The barrel drizzle-kit reads: every feature's tables, and nothing else.
export * from "../features/auth/schema";
export * from "../features/audit/schema";
export * from "../features/ratelimit/schema";
