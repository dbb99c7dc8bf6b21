import { type CSSProperties, memo, startTransition, useEffect, useState } from "react";
import { formatDuration, pluralize } from "../../src/format";
import type { Waterfall, WaterfallBar } from "../../src/insights/waterfall";
import "./build-insights.css";

/**
 * Rows rendered on the server and by hydration. A build can have thousands of steps: rendering
 * them all at once put 0.9 MB of markup in a 2,000-step page and held the browser's main thread
 * for hundreds of milliseconds while it parsed and hydrated them (bench/web).
 */
export const WATERFALL_FIRST_ROWS = 100;
/** Rows added per idle period after hydration, until every step is shown. */
export const WATERFALL_CHUNK_ROWS = 150;

/**
 * Rows out of view skip layout and paint (every row is 22 px high, see build-insights.css): with
 * thousands of rows, laying them all out took the browser ~190 ms at a time (bench/web).
 */
const ROW_STYLE: CSSProperties = { contentVisibility: "auto", containIntrinsicSize: "auto 22px" };

/** Calls `run` when the browser is idle (or soon, where it has no idle callbacks). */
function whenIdle(run: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const id = window.requestIdleCallback(run, { timeout: 500 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(run, 16);
  return () => window.clearTimeout(id);
}

/**
 * One row per step on a shared time axis, grouped into stage lanes (so parallel stages show side
 * by side), cached steps hatched, the critical path in orange. Plain DOM, no chart library: a
 * build can have thousands of steps and each row is a button (click = step detail). The first
 * {@link WATERFALL_FIRST_ROWS} rows come with the document (every row with `showAll`); the rest
 * are added in chunks once the page is interactive, each in its own short task, so the main
 * thread never blocks for long.
 *
 * Without JavaScript the rows submit a GET form (`?step=<id>`, plus `keep`, the other query
 * parameters to keep), whose page the server renders with that step open; and `showAllHref`
 * links to the page with every row rendered.
 */
export function BuildWaterfall({
  waterfall,
  selected,
  onSelect,
  showAll = false,
  showAllHref,
  keep = [],
}: {
  waterfall: Waterfall;
  selected: string | null;
  onSelect: (id: string) => void;
  showAll?: boolean;
  showAllHref?: string;
  keep?: readonly (readonly [string, string])[];
}) {
  const total = waterfall.lanes.reduce((n, lane) => n + lane.bars.length, 0);
  // The same first render on the server and in hydration; then more rows per idle period.
  const [limit, setLimit] = useState(showAll ? total : WATERFALL_FIRST_ROWS);
  useEffect(() => {
    if (limit >= total) return;
    return whenIdle(() => startTransition(() => setLimit((n) => n + WATERFALL_CHUNK_ROWS)));
  }, [limit, total]);
  let budget = limit;
  const lanes = waterfall.lanes.flatMap((lane) => {
    if (budget <= 0) return [];
    const bars = lane.bars.length <= budget ? lane.bars : lane.bars.slice(0, budget);
    budget -= bars.length;
    return [{ ...lane, bars }];
  });
  const shown = Math.min(limit, total);
  return (
    <div className="waterfall" data-testid="waterfall" aria-busy={shown < total || undefined}>
      <div className="waterfall__legend" aria-hidden="true">
        <span>ran</span>
        <span className="legend--cached">cached</span>
        <span className="legend--critical">critical path</span>
        <span className="legend--error">failed</span>
      </div>
      <div className="waterfall__axis" aria-hidden="true">
        <span className="waterfall__label muted">Step</span>
        <div className="waterfall__ticks">
          {waterfall.ticks.map((t) => (
            <span key={t.label} className="waterfall__tick" style={{ left: `${t.at * 100}%` }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>
      <form method="get" className="waterfall__rows">
        {keep.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {lanes.map((lane) => (
          <section key={lane.lane} aria-label={`Stage ${lane.lane}`}>
            <h3 className="waterfall__lane">
              <span>{lane.lane}</span>
              <span className="muted">{formatDuration(lane.spanMs)}</span>
            </h3>
            {lane.bars.map((bar) => (
              <WaterfallRow
                key={bar.step.id + bar.step.label}
                bar={bar}
                pressed={selected === bar.step.id}
                onSelect={onSelect}
              />
            ))}
          </section>
        ))}
      </form>
      {shown < total ? (
        <p className="muted" role="status" data-testid="waterfall-more">
          Showing {pluralize(shown, "step")} of {total.toLocaleString("en-US")}; the rest follow as
          the page loads.
          {showAllHref ? (
            <>
              {" "}
              <a href={showAllHref} data-testid="waterfall-show-all">
                Show all {total.toLocaleString("en-US")} steps
              </a>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

/** One step's row; memoised, so adding rows (or selecting one) re-renders only what changed. */
const WaterfallRow = memo(function WaterfallRow({
  bar: { step, offset, width, running, skipped },
  pressed,
  onSelect,
}: {
  bar: WaterfallBar;
  pressed: boolean;
  onSelect: (id: string) => void;
}) {
  const state = step.failed
    ? "failed"
    : skipped
      ? "did not run"
      : running
        ? "running"
        : step.cached
          ? "cached"
          : formatDuration(step.durationMs);
  const classes = [
    "waterfall__bar",
    step.cached ? "waterfall__bar--cached" : "",
    step.critical && !step.cached ? "waterfall__bar--critical" : "",
    step.failed ? "waterfall__bar--error" : "",
    running ? "waterfall__bar--running" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <button
      // a submit button of the waterfall's GET form: `?step=<id>` without JavaScript
      type="submit"
      name="step"
      value={step.id}
      className="waterfall__row"
      style={ROW_STYLE}
      aria-pressed={pressed}
      data-critical={step.critical || undefined}
      data-cached={step.cached || undefined}
      data-testid="waterfall-row"
      onClick={(event) => {
        event.preventDefault();
        onSelect(step.id);
      }}
      title={`${step.label} · ${state}`}
    >
      <span className="waterfall__label">
        {step.label}
        <span className="waterfall__marks">
          {step.dockerfileLine !== null ? ` L${step.dockerfileLine}` : ""} · {state}
          {step.critical ? " · critical" : ""}
        </span>
      </span>
      <span className="waterfall__track">
        {skipped ? null : (
          <span
            className={classes}
            style={{ left: `${offset * 100}%`, width: `${width * 100}%` }}
          />
        )}
      </span>
    </button>
  );
});
