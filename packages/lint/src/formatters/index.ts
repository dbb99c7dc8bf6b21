import { checkstyle } from "./checkstyle.ts";
import { gitlabCodeclimate } from "./codeclimate.ts";
import { json } from "./json.ts";
import { sarif } from "./sarif.ts";
import { tty } from "./tty.ts";
import type { FileResult, FormatOptions, Formatter } from "./types.ts";

export type { FileResult, FormatOptions, Formatter } from "./types.ts";

export const formatters = {
  tty,
  json,
  sarif,
  checkstyle,
  gitlab_codeclimate: gitlabCodeclimate,
  codeclimate: gitlabCodeclimate,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;

export function formatResults(
  name: FormatName,
  results: FileResult[],
  opts: FormatOptions = { color: false },
): string {
  return formatters[name](results, opts);
}
