import { useEffect } from "react";
import { useRevalidator } from "react-router";

/**
 * Re-runs the page's loaders every `intervalMs` while `active` (a build is queued or running) and
 * the tab is visible. With `idleIntervalMs`, it keeps watching at that slower pace while nothing
 * runs (a list where a new build can show up at any moment); without it, it stops by itself once
 * nothing runs. Simpler than SSE and enough for a list.
 */
export function useLivePolling(
  active: boolean,
  intervalMs = 3000,
  idleIntervalMs: number | null = null,
): boolean {
  const revalidator = useRevalidator();
  const every = active ? intervalMs : idleIntervalMs;
  useEffect(() => {
    if (every === null) return;
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") {
        void revalidator.revalidate();
      }
    }, every);
    return () => window.clearInterval(id);
  }, [every, revalidator]);
  return active;
}
