import type { Finding } from "../lint.ts";

export interface FileResult {
  file: string;
  findings: Finding[];
}

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (results: FileResult[], opts: FormatOptions) => string;
