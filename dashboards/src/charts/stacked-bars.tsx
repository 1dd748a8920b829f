import { formatUsd } from "../format.ts";
import { niceAxis, PALETTE } from "./scale.ts";

export interface DailySeries {
  /** Legend label, e.g. a model id. */
  name: string;
  /** Nano-dollars per day, aligned with `days`. */
  values: number[];
}

interface Props {
  /** "YYYY-MM-DD", oldest first. */
  days: string[];
  series: DailySeries[];
  /** Accessible description. */
  label: string;
}

const W = 760;
const H = 260;
const PAD = { top: 12, right: 12, bottom: 28, left: 64 };
const MAX_SERIES = PALETTE.length - 1;

/** Keeps the biggest series and folds the rest into "Other", so colours stay distinguishable. */
function foldSmallSeries(series: DailySeries[]): DailySeries[] {
  const total = (s: DailySeries) => s.values.reduce((a, b) => a + b, 0);
  const ranked = [...series].sort((a, b) => total(b) - total(a));
  if (ranked.length <= MAX_SERIES + 1) return ranked;
  const rest = ranked.slice(MAX_SERIES);
  const other = { name: "Other", values: rest[0]!.values.map((_, i) => rest.reduce((sum, s) => sum + s.values[i]!, 0)) };
  return [...ranked.slice(0, MAX_SERIES), other];
}

/**
 * Spend per day as stacked bars, one colour per series, rendered on the server
 * as SVG: no script, each segment has a tooltip (<title>) with its exact amount.
 */
export const StackedBarChart = ({ days, series, label }: Props) => {
  const shown = foldSmallSeries(series);
  const totals = days.map((_, i) => shown.reduce((sum, s) => sum + s.values[i]!, 0));
  const { top, step } = niceAxis(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / days.length;
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);

  return (
    <figure class="chart" style="margin:0">
      <div class="scroll">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
          <g class="grid">
            {ticks.map((t) => (
              <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            ))}
          </g>
          <g class="axis">
            {ticks.map((t) => (
              <text x={PAD.left - 8} y={y(t) + 4} text-anchor="end">
                {formatUsd(Math.round(t))}
              </text>
            ))}
            {days.map((d, i) =>
              i % 5 === (days.length - 1) % 5 ? (
                <text x={PAD.left + slot * i + slot / 2} y={H - 8} text-anchor="middle">
                  {d.slice(5)}
                </text>
              ) : null,
            )}
          </g>
          <g class="bars">
            {days.map((day, i) => {
              let base = 0;
              return shown.map((s, k) => {
                const v = s.values[i]!;
                if (v <= 0) return null;
                const rect = (
                  <rect
                    x={PAD.left + slot * i + (slot - barW) / 2}
                    y={y(base + v)}
                    width={barW}
                    height={Math.max(1, y(base) - y(base + v))}
                    fill={PALETTE[k]}
                    data-day={day}
                    data-series={s.name}
                  >
                    <title>{`${day} · ${s.name}: ${formatUsd(v)}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              });
            })}
          </g>
        </svg>
      </div>
      <figcaption>
        <ul class="legend">
          {shown.map((s, k) => (
            <li>
              <i style={`background:${PALETTE[k]}`}></i>
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
};
