import { centsToNanos } from "@switchyard/fees";

/** The purchase a Stripe object belongs to, read from the metadata createCheckout put on it. */
export interface PurchaseRef {
  purchaseId: string;
  accountId: string;
  workspaceId: string;
  creditsCents: number;
  feeCents: number;
  creditsNanos: bigint;
  feeNanos: bigint;
}

/** null for Stripe objects that are not switchyard credit purchases (other products on the same Stripe account). */
export function purchaseRef(metadata: Record<string, string> | null | undefined): PurchaseRef | null {
  const m = metadata ?? {};
  const credits = wholeCents(m.credits_cents);
  const fee = wholeCents(m.fee_cents);
  if (!m.purchase_id || !m.account_id || !m.workspace_id || credits === null || fee === null) return null;
  return {
    purchaseId: m.purchase_id,
    accountId: m.account_id,
    workspaceId: m.workspace_id,
    creditsCents: credits,
    feeCents: fee,
    creditsNanos: centsToNanos(credits),
    feeNanos: centsToNanos(fee),
  };
}

function wholeCents(value: string | undefined): number | null {
  return value && /^\d{1,12}$/.test(value) ? Number(value) : null;
}

/** The id of a payment intent as Stripe objects carry it: an id, an expanded object, or none. */
export function paymentIntentId(value: string | { id: string } | null | undefined): string | null {
  return typeof value === "string" ? value : (value?.id ?? null);
}
