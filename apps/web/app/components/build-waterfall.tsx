import { formatDuration } from "../../src/format";
import type { Waterfall } from "../../src/insights/waterfall";
import "./build-insights.css";

/**
 * One row per step on a shared time axis, grouped into stage lanes (so parallel stages show side
 * by side), cached steps hatched, the critical path in orange. Plain DOM, no chart library: a
 * build can have thousands of steps and each row is a button (click = step detail).
 */
export function BuildWaterfall({
  waterfall,
  selected,
  onSelect,
}: {
  waterfall: Waterfall;
  selected: string | null;
  onSelect: (digest: string) => void;
}) {
  return (
    <div className="waterfall" data-testid="waterfall">
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
      {waterfall.lanes.map((lane) => (
        <section key={lane.lane} aria-label={`Stage ${lane.lane}`}>
          <h3 className="waterfall__lane">
            <span>{lane.lane}</span>
            <span className="muted">{formatDuration(lane.spanMs)}</span>
          </h3>
          {lane.bars.map((bar) => {
            const state = bar.error
              ? "failed"
              : bar.skipped
                ? "did not run"
                : bar.running
                  ? "running"
                  : bar.cached
                    ? "cached"
                    : formatDuration(bar.durationMs);
            const classes = [
              "waterfall__bar",
              bar.cached ? "waterfall__bar--cached" : "",
              bar.critical && !bar.cached ? "waterfall__bar--critical" : "",
              bar.error ? "waterfall__bar--error" : "",
              bar.running ? "waterfall__bar--running" : "",
            ]
              .filter(Boolean)
              .join(" ");
            return (
              <button
                key={bar.digest + bar.name}
                type="button"
                className="waterfall__row"
                aria-pressed={selected === bar.digest}
                data-critical={bar.critical || undefined}
                data-cached={bar.cached || undefined}
                data-testid="waterfall-row"
                onClick={() => onSelect(bar.digest)}
                title={`${bar.name} · ${state}`}
              >
                <span className="waterfall__label">
                  {bar.label}
                  <span className="waterfall__marks">
                    {bar.dockerfileLine !== null ? ` L${bar.dockerfileLine}` : ""} · {state}
                    {bar.critical ? " · critical" : ""}
                  </span>
                </span>
                <span className="waterfall__track">
                  {bar.skipped ? null : (
                    <span
                      className={classes}
                      style={{ left: `${bar.offset * 100}%`, width: `${bar.width * 100}%` }}
                    />
                  )}
                </span>
              </button>
            );
          })}
        </section>
      ))}
    </div>
  );
}
