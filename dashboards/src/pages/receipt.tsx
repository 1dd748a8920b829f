import { Document } from "../components/document.tsx";
import { formatTime, formatUsd } from "../format.ts";

export interface ReceiptData {
  purchaseId: string;
  paidAt: number;
  accountName: string;
  workspaceName: string;
  amountNanos: number;
  feeNanos: number;
  refundedNanos: number;
  stripePaymentIntentId: string | null;
  backHref: string;
}

/** A printable receipt for one paid purchase. */
export const ReceiptPage = ({ data }: { data: ReceiptData }) => (
  <Document title="Receipt">
    <main style="max-width:640px">
      <p class="no-print">
        <a href={data.backHref}>← Credits</a>
      </p>
      <div class="card">
        <div class="page-head">
          <h1>Receipt</h1>
          <span class="brand">
            switch<span>yard</span>
          </span>
        </div>
        <p class="muted small">
          Receipt {data.purchaseId} · {formatTime(data.paidAt)}
          <br />
          Billed to {data.accountName} (workspace {data.workspaceName})
          {data.stripePaymentIntentId ? (
            <>
              <br />
              Payment {data.stripePaymentIntentId}
            </>
          ) : null}
        </p>
        <div class="summary">
          <span>Credits</span>
          <span class="num">{formatUsd(data.amountNanos)}</span>
          <span>Processing fee</span>
          <span class="num">{formatUsd(data.feeNanos)}</span>
          <span class="total">Total paid</span>
          <span class="total num">{formatUsd(data.amountNanos + data.feeNanos)}</span>
          {data.refundedNanos > 0 ? (
            <>
              <span>Refunded</span>
              <span class="num">-{formatUsd(data.refundedNanos)}</span>
            </>
          ) : null}
        </div>
      </div>
    </main>
  </Document>
);
