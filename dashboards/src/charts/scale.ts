/**
 * A "nice" axis for a maximum value: a step of 1, 2 or 5 × 10^k so that a few
 * gridlines cover the maximum. Geometry only; labels are formatted by the caller.
 */
export function niceAxis(max: number, targetTicks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: targetTicks, step: 1 };
  const rough = max / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

/** Fixed colours, so a model keeps its colour across page loads (assigned by rank). */
export const PALETTE = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#84cc16", "#64748b"];
