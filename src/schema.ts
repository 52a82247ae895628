// The barrel drizzle-kit reads: every feature's tables, and nothing else.
export * from "./features/auth/schema";
export * from "./features/auth/reset-schema";
export * from "./features/auth/verification-schema";
export * from "./features/auth/two-factor-schema";
export * from "./features/auth/passkey-schema";
export * from "./features/audit/schema";
export * from "./features/ratelimit/schema";
export * from "./features/workspace/schema";
export * from "./features/households/schema";
export * from "./features/invitations/schema";
export * from "./features/mailer/schema";
export * from "./features/location/schema";
export * from "./features/realtime/schema";
export * from "./features/chat/schema";
export * from "./features/notifications/schema";
export * from "./features/presence/schema";
export * from "./features/erasure/schema";
