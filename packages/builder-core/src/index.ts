export {
  type BaseImage,
  type BaseImageOptions,
  ensureBaseImage,
  foreignBusyboxPath,
} from "./base-image.ts";
export {
  type BuildError,
  type BuildErrorKind,
  type BuildEvent,
  type BuildOptions,
  type BuildSummary,
  buildOptionsSchema,
  classifyEngineError,
  type RegistryAuth,
  runBuild,
} from "./build.ts";
export {
  type CacheLimitResult,
  type CacheRecord,
  type CacheRetentionResult,
  type CacheUsage,
  cacheUsage,
  enforceCacheLimit,
  enforceCacheRetention,
  type PruneOptions,
  type PruneResult,
  pruneCache,
} from "./cache.ts";
export {
  type ContextEntrySize,
  type ContextStats,
  ContextTooLargeError,
  packContext,
} from "./context.ts";
export {
  ContextTarScanner,
  type ContextTarScanOptions,
  dockerignoreFor,
  filterContextTar,
  InvalidContextTarError,
  ignoreRulesOf,
  safeTarPath,
} from "./context-tar.ts";
export {
  type EngineHandle,
  type EngineMeta,
  findDockerd,
  releaseEngineMounts,
  type StartEngineOptions,
  startEngine,
  stopEngine,
} from "./engine.ts";
export {
  type EngineAddress,
  type EngineTarget,
  type EngineTls,
  engineRequest,
  pingEngine,
} from "./engine-api.ts";
export {
  MANIFEST_LIST_TYPE,
  type ManifestListOptions,
  type ManifestListResult,
  OCI_INDEX_TYPE,
  pushManifestList,
  registryOf,
} from "./manifest.ts";
export { type EnginePaths, enginePaths } from "./paths.ts";
export {
  type BinfmtResult,
  emulationAvailable,
  hostPlatform,
  isNativePlatform,
  normalizePlatform,
  type PlatformRoute,
  PlatformUnsupportedError,
  registerQemuBinfmt,
  routePlatform,
} from "./platform.ts";
export {
  BuilderPool,
  type BuilderPoolOptions,
  type EngineKind,
  type PoolBuild,
  type PoolBuildRequest,
  type PoolBuildResult,
  type PoolEvent,
  type PoolSettings,
  type PoolSettingsInput,
  type PoolStatus,
  poolSettingsSchema,
  type RemoteEngine,
} from "./pool.ts";
export { type BuilderEnginesHealth, type EngineProbe, probeBuilderEngines } from "./probe.ts";
export {
  classifyPushError,
  type PushError,
  type PushedTag,
  type PushOptions,
  type PushResult,
  pushImage,
  splitReference,
} from "./push.ts";
export {
  BUILDER_SIZES,
  type BuilderLimits,
  type BuilderSize,
  type BuildResources,
  builderLimits,
  builderSizeSchema,
  type CgroupSupport,
  detectCgroups,
  type EngineCgroup,
  type ResourceSample,
} from "./resources.ts";
export {
  type BuildStep,
  decodeStatusResponse,
  decodeTraceAux,
  omittedLogBytes,
  omittedLogEntry,
  type StatusUpdate,
  type StepEvent,
  type StepLog,
  StepTracker,
} from "./trace.ts";
