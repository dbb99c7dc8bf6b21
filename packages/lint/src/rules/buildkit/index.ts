/** BuildKit's build checks (`docker build --check`), under BuildKit's names. */
import type { Rule } from "../types.ts";
import { ConsistentInstructionCasing } from "./ConsistentInstructionCasing.ts";
import { CopyIgnoredFile } from "./CopyIgnoredFile.ts";
import { DuplicateStageName } from "./DuplicateStageName.ts";
import { ExposeInvalidFormat } from "./ExposeInvalidFormat.ts";
import { ExposeProtoCasing } from "./ExposeProtoCasing.ts";
import { FromAsCasing } from "./FromAsCasing.ts";
import { FromPlatformFlagConstDisallowed } from "./FromPlatformFlagConstDisallowed.ts";
import { InvalidDefaultArgInFrom } from "./InvalidDefaultArgInFrom.ts";
import { JSONArgsRecommended } from "./JSONArgsRecommended.ts";
import { LegacyKeyValueFormat } from "./LegacyKeyValueFormat.ts";
import { MaintainerDeprecated } from "./MaintainerDeprecated.ts";
import { MultipleInstructionsDisallowed } from "./MultipleInstructionsDisallowed.ts";
import { NoEmptyContinuation } from "./NoEmptyContinuation.ts";
import { RedundantTargetPlatform } from "./RedundantTargetPlatform.ts";
import { ReservedStageName } from "./ReservedStageName.ts";
import { SecretsUsedInArgOrEnv } from "./SecretsUsedInArgOrEnv.ts";
import { StageNameCasing } from "./StageNameCasing.ts";
import { UndefinedArgInFrom } from "./UndefinedArgInFrom.ts";
import { UndefinedVar } from "./UndefinedVar.ts";
import { WorkdirRelativePath } from "./WorkdirRelativePath.ts";

export const buildkitRules: Rule[] = [
  ConsistentInstructionCasing,
  CopyIgnoredFile,
  DuplicateStageName,
  ExposeInvalidFormat,
  ExposeProtoCasing,
  FromAsCasing,
  FromPlatformFlagConstDisallowed,
  InvalidDefaultArgInFrom,
  JSONArgsRecommended,
  LegacyKeyValueFormat,
  MaintainerDeprecated,
  MultipleInstructionsDisallowed,
  NoEmptyContinuation,
  RedundantTargetPlatform,
  ReservedStageName,
  SecretsUsedInArgOrEnv,
  StageNameCasing,
  UndefinedArgInFrom,
  UndefinedVar,
  WorkdirRelativePath,
];
