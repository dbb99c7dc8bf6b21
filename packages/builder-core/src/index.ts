export {
  type EngineHandle,
  type EngineMeta,
  findDockerd,
  releaseEngineMounts,
  type StartEngineOptions,
  startEngine,
  stopEngine,
} from "./engine.ts";
export { engineRequest, pingEngine } from "./engine-api.ts";
export { type EnginePaths, enginePaths } from "./paths.ts";
export { type BuilderEnginesHealth, type EngineProbe, probeBuilderEngines } from "./probe.ts";
