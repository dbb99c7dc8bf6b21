import { useEffect } from "react";
import { useRevalidator } from "react-router";

/**
 * Re-runs the page's loaders every `intervalMs` while `active` (a build is queued or running) and
 * the tab is visible; stops by itself once nothing runs. Simpler than SSE and enough for a list.
 */
export function useLivePolling(active: boolean, intervalMs = 3000): boolean {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") {
        void revalidator.revalidate();
      }
    }, intervalMs);
    return () => window.clearInterval(id);
  }, [active, intervalMs, revalidator]);
  return active;
}
