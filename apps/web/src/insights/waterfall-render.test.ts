// The waterfall component's first render (the server's, and hydration's): long builds send only
// their first rows with the document, the rest are added in the browser (bench/web).
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BuildWaterfall, WATERFALL_FIRST_ROWS } from "../../app/components/build-waterfall";
import { step } from "./test-fixtures";
import { layoutWaterfall } from "./waterfall";

function render(
  count: number,
  props: { showAll?: boolean; showAllHref?: string; keep?: [string, string][] } = {},
): string {
  const steps = Array.from({ length: count }, (_, i) =>
    step(i + 1, { name: `[build ${i + 1}/${count}] RUN step ${i}`, start: i, end: i + 1 }),
  );
  const waterfall = layoutWaterfall(steps, new Set(), Date.now());
  return renderToString(
    createElement(BuildWaterfall, { waterfall, selected: null, onSelect: () => {}, ...props }),
  );
}

const rows = (html: string) => html.split('data-testid="waterfall-row"').length - 1;

describe("BuildWaterfall", () => {
  it("renders every row of a build of ordinary size", () => {
    const html = render(20);
    expect(rows(html)).toBe(20);
    expect(html).not.toContain("aria-busy");
    expect(html).not.toContain("waterfall-more");
  });

  it("renders the first rows of a long build and says the rest follow", () => {
    const html = render(2000);
    expect(rows(html)).toBe(WATERFALL_FIRST_ROWS);
    expect(html).toContain('aria-busy="true"');
    expect(html.replaceAll("<!-- -->", "")).toContain("Showing 100 steps of 2,000");
  });

  it("links to every row for the page without JavaScript, and renders them all when asked", () => {
    const html = render(2000, { showAllHref: "?steps=all" });
    expect(html.replaceAll("<!-- -->", "")).toContain('href="?steps=all"');
    expect(html.replaceAll("<!-- -->", "")).toContain("Show all 2,000 steps");
    const all = render(2000, { showAll: true, keep: [["steps", "all"]] });
    expect(rows(all)).toBe(2000);
    expect(all).not.toContain("waterfall-more");
    // the rows submit `?step=<digest>` (keeping `steps=all`) where JavaScript does not run
    expect(all).toContain('<input type="hidden" name="steps" value="all"/>');
    expect(/<button type="submit" value="0{16}"[^>]* name="step"/.test(all)).toBe(true);
  });
});
