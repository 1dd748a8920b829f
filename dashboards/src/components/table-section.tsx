import type { Child } from "hono/jsx";

export type Column = string | { label: string; num: true };

/** A right-aligned (numeric) column heading. */
export const num = (label: string): Column => ({ label, num: true });

interface Props {
  title?: string;
  /** Table id, for tests and anchors. */
  id: string;
  columns: Column[];
  /** The message shown instead of the table when there are no rows; null when there are. */
  empty: string | null;
  children: Child;
  footer?: Child;
}

/** A card holding one table (scrolling sideways on narrow screens) or its empty state. */
export const TableSection = ({ title, id, columns, empty, children, footer }: Props) => (
  <section class="card">
    {title ? <h2>{title}</h2> : null}
    {empty !== null ? (
      <p class="empty">{empty}</p>
    ) : (
      <div class="table-wrap">
        <table id={id}>
          <thead>
            <tr>
              {columns.map((c) => (typeof c === "string" ? <th>{c}</th> : <th class="num">{c.label}</th>))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    )}
    {footer}
  </section>
);
