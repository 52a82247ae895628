// A business can require two-factor sign-in: its pages and JSON (everything under /business/:id and
// /api/businesses/:id) then answer only sessions that proved a second factor at sign-in. One
// middleware, before every business route, whichever feature serves it (workspace, invitations, outbox).
import { and, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/types";
import { AppError } from "../../lib/errors";
import { businesses, businessMembers } from "./schema";

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const BUSINESS_PATH = /^\/(?:api\/businesses|business)\/([^/]+)(?:\/|$)/;

export function twoFactorRequired(name: string): AppError {
  return new AppError(403, "two_factor_required", `${name} requires two-factor sign-in. Turn it on in your profile (or sign in again with your second factor), then come back.`, {
    setUpAt: "/profile#two-factor",
  });
}

export function businessTwoFactorGate() {
  return createMiddleware<AppEnv>(async function businessTwoFactorGate(c, next) {
    const id = BUSINESS_PATH.exec(c.req.path)?.[1];
    const { session, user } = c.var;
    if (id && session && user && session.secondFactor === null) {
      // Only a member learns that the business requires it: for anyone else the route's own 404 stands.
      const [business] = await c.var.deps.db
        .select({ name: businesses.name, required: businesses.requireTwoFactor })
        .from(businesses)
        .innerJoin(businessMembers, and(eq(businessMembers.businessId, businesses.id), eq(businessMembers.userId, user.id)))
        .where(eq(businesses.id, safeDecode(id)))
        .limit(1);
      if (business?.required) throw twoFactorRequired(business.name);
    }
    await next();
  });
}
