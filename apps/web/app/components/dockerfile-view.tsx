/** The Dockerfile as it was built, with line numbers and the lint findings marked on it. */

export interface MarkedFinding {
  /** Anchor of the finding in the findings list (`#finding-<n>`). */
  anchor: string;
  code: string;
  level: string;
  line: number;
  message: string;
}

const LEVEL_RANK: Record<string, number> = { error: 0, warning: 1, info: 2, style: 3 };

/**
 * Lines of the instruction that starts on `line`: a finding is reported on the first line, but a
 * `RUN a \` instruction goes on over the continuation lines, which are marked more lightly.
 */
function instructionLines(lines: string[], line: number): number[] {
  const out = [line];
  for (let n = line; n < lines.length && /\\\s*$/.test(lines[n - 1] ?? ""); n++) out.push(n + 1);
  return out;
}

export function lineAnchor(line: number): string {
  return `L${line}`;
}

export function DockerfileView({
  path,
  text,
  findings,
}: {
  path: string;
  text: string;
  findings: MarkedFinding[];
}) {
  const lines = text.replace(/\r?\n$/, "").split(/\r?\n/);
  const byLine = new Map<number, MarkedFinding[]>();
  const continued = new Map<number, string>();
  for (const finding of findings) {
    if (finding.line < 1 || finding.line > lines.length) continue;
    byLine.set(finding.line, [...(byLine.get(finding.line) ?? []), finding]);
  }
  for (const [line, marked] of byLine) {
    const level = worstLevel(marked);
    for (const next of instructionLines(lines, line).slice(1)) {
      if (!byLine.has(next)) continued.set(next, level);
    }
  }
  return (
    <figure className="dockerfile" data-testid="dockerfile">
      <figcaption className="dockerfile__caption mono">{path}</figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be keyboard-reachable (axe: scrollable-region-focusable) */}
      <section className="dockerfile__code" aria-label={`${path}, as built`} tabIndex={0}>
        {lines.map((source, index) => {
          const line = index + 1;
          const marked = byLine.get(line);
          const level = marked ? worstLevel(marked) : continued.get(line);
          return (
            <div key={line}>
              <div
                id={lineAnchor(line)}
                className={[
                  "dockerfile__line",
                  level && `dockerfile__line--${level}`,
                  marked && "dockerfile__line--marked",
                ]
                  .filter(Boolean)
                  .join(" ")}
                data-testid={marked ? "dockerfile-marked-line" : undefined}
              >
                <a className="dockerfile__number" href={`#${lineAnchor(line)}`}>
                  {line}
                </a>
                <code className="dockerfile__source">{source || " "}</code>
              </div>
              {marked?.map((finding) => (
                <div
                  key={finding.anchor}
                  className={`dockerfile__annotation dockerfile__annotation--${finding.level}`}
                >
                  <span className={`lint-level lint-level--${finding.level}`}>{finding.level}</span>
                  <a className="mono" href={`#${finding.anchor}`}>
                    {finding.code}
                  </a>{" "}
                  {finding.message}
                </div>
              ))}
            </div>
          );
        })}
      </section>
    </figure>
  );
}

function worstLevel(findings: MarkedFinding[]): string {
  return findings.reduce(
    (worst, f) => ((LEVEL_RANK[f.level] ?? 9) < (LEVEL_RANK[worst] ?? 9) ? f.level : worst),
    findings[0]?.level ?? "info",
  );
}
