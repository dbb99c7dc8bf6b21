import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways on narrow screens. It is focusable so keyboard users can
 * scroll it too (axe: scrollable-region-focusable), and named so screen readers can tell the
 * regions apart.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be keyboard-reachable
    <section className="table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
