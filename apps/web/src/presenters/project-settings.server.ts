import { BUILDER_SIZES as ENGINE_SIZES } from "@slipway/builder-core";
import { BUILDER_SIZES } from "../services/projects.server";
import { formatBytes } from "./units";

/** Each builder size with what builder-core gives its engines, for the settings form. */
export function builderSizeOptions(): {
  value: (typeof BUILDER_SIZES)[number];
  cpus: number;
  memory: string;
}[] {
  return BUILDER_SIZES.map((size) => {
    const engine = ENGINE_SIZES[size.toLowerCase() as Lowercase<typeof size>];
    return { value: size, cpus: engine.cpus, memory: formatBytes(engine.memoryBytes) };
  });
}
