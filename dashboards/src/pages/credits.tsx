import { ReadOnlyNotice } from "../components/alerts.tsx";
import { CsrfField } from "../components/csrf.tsx";
import { Shell, workspacePath } from "../components/shell.tsx";
import { num, TableSection } from "../components/table-section.tsx";
import { formatTime, formatUsd, formatUsdExact } from "../format.ts";
import { canManage, type PageContext } from "../types.ts";

export interface PurchaseRow {
  id: string;
  createdAt: number;
  amountNanos: number;
  feeNanos: number;
  status: "pending" | "paid" | "refunded" | "partially_refunded" | "disputed";
}

export interface CreditsData {
  balanceNanos: number;
  presetsUsd: number[];
  /** Purchase bounds as labels: "$5.00", "$10000.00". */
  minLabel: string;
  maxLabel: string;
  /** What the amount field shows. */
  amountInput: string;
  /** Fee and total for a valid amount, shown before paying. */
  quote: { amountNanos: number; feeNanos: number; totalNanos: number } | null;
  /** Null when payments work; otherwise why they do not. */
  paymentsUnavailable: string | null;
  purchases: PurchaseRow[];
}

const STATUS: Record<PurchaseRow["status"], [string, string]> = {
  pending: ["Pending", "dim"],
  paid: ["Paid", "ok"],
  refunded: ["Refunded", "bad"],
  partially_refunded: ["Partly refunded", "bad"],
  disputed: ["Disputed", "bad"],
};

const Quote = ({ ctx, data }: { ctx: PageContext; data: CreditsData }) => {
  const q = data.quote!;
  const allowed = canManage(ctx.role) && data.paymentsUnavailable === null;
  return (
    <section class="card" id="quote">
      <h2>Your purchase</h2>
      <div class="summary">
        <span>Credits</span>
        <span class="num" id="quote-amount">{formatUsd(q.amountNanos)}</span>
        <span>
          Processing fee <span class="hint">(5.5 %, at least $0.80)</span>
        </span>
        <span class="num" id="quote-fee">{formatUsd(q.feeNanos)}</span>
        <span class="total">Total charged</span>
        <span class="total num" id="quote-total">{formatUsd(q.totalNanos)}</span>
      </div>
      <p class="muted small">Your balance grows by {formatUsd(q.amountNanos)}; the fee covers payment processing.</p>
      <form method="post" action={workspacePath(ctx.workspace.id, "/credits/checkout")}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="amount" value={data.amountInput} />
        <button type="submit" disabled={!allowed}>
          Pay {formatUsd(q.totalNanos)} with Stripe
        </button>
      </form>
    </section>
  );
};

export const CreditsPage = ({ ctx, data }: { ctx: PageContext; data: CreditsData }) => (
  <Shell ctx={ctx} title="Credits">
    <h1>Credits</h1>
    {!canManage(ctx.role) ? <ReadOnlyNotice /> : null}
    {data.paymentsUnavailable ? <div class="alert info">{data.paymentsUnavailable}</div> : null}
    <div class="grid">
      <div class="card stat">
        <div class="label">Credit balance</div>
        <div class="value" id="balance" title={formatUsdExact(data.balanceNanos)}>
          {formatUsd(data.balanceNanos)}
        </div>
      </div>
    </div>
    <section class="card">
      <h2>Add credits</h2>
      <div class="amounts">
        {data.presetsUsd.map((usd) => (
          <a href={`?amount=${usd}`} aria-current={data.amountInput === String(usd) ? "true" : undefined}>
            ${usd}
          </a>
        ))}
      </div>
      <form method="get" class="row">
        <label>
          Amount in USD
          <input type="text" name="amount" inputmode="decimal" value={data.amountInput} placeholder="25.00" required />
          <span class="hint">
            Between {data.minLabel} and {data.maxLabel}.
          </span>
        </label>
        <button type="submit" class="secondary">
          See total
        </button>
      </form>
    </section>
    {data.quote ? <Quote ctx={ctx} data={data} /> : null}
    <TableSection
      title="Purchase history"
      id="purchases"
      columns={["Date", num("Credits"), num("Fee"), num("Total"), "Status", ""]}
      empty={data.purchases.length ? null : "No purchases yet."}
    >
      {data.purchases.map((p) => (
        <tr>
          <td>{formatTime(p.createdAt)}</td>
          <td class="num">{formatUsd(p.amountNanos)}</td>
          <td class="num">{formatUsd(p.feeNanos)}</td>
          <td class="num">{formatUsd(p.amountNanos + p.feeNanos)}</td>
          <td>
            <span class={`badge ${STATUS[p.status][1]}`}>{STATUS[p.status][0]}</span>
          </td>
          <td>{p.status === "pending" ? null : <a href={workspacePath(ctx.workspace.id, `/credits/receipts/${p.id}`)}>Receipt</a>}</td>
        </tr>
      ))}
    </TableSection>
  </Shell>
);
