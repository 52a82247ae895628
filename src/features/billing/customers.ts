// One Stripe customer per paying space, made the first time it is needed. The idempotency key names the space, so
// two first payments at once get the same customer from Stripe, and the row keeps it after the key expires.
import type Stripe from "stripe";
import { eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { billingCustomers } from "./schema";
import type { BillingSpace } from "./spaces";

export async function storedCustomer(db: Deps["db"], context: string): Promise<string | null> {
  const [row] = await db.select({ id: billingCustomers.stripeCustomerId }).from(billingCustomers).where(eq(billingCustomers.context, context));
  return row?.id ?? null;
}

export async function customerFor(deps: Pick<Deps, "db" | "now">, stripe: Stripe, space: BillingSpace): Promise<string> {
  const known = await storedCustomer(deps.db, space.context);
  if (known) return known;
  const customer = await stripe.customers.create({ name: space.name, metadata: { context: space.context } }, { idempotencyKey: `bob_customer_${space.context}` });
  await writeTransaction(deps.db, (tx) => tx.insert(billingCustomers).values({ context: space.context, stripeCustomerId: customer.id, createdAt: deps.now() }).onConflictDoNothing());
  return (await storedCustomer(deps.db, space.context)) ?? customer.id;
}
