import { useState } from "react";
import { useHydrated } from "../lib/use-hydrated";

/** Copies a value to the clipboard; rendered only once JavaScript runs (the value stays selectable). */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  if (!hydrated) return null;
  return (
    <button
      type="button"
      className="button button--secondary button--small"
      onClick={() => {
        navigator.clipboard.writeText(value).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}
