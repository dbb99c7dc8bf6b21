#!/usr/bin/env node
// The CLI is written in TypeScript and run through tsx's loader, so the workspace needs no
// build step before `npx slipway` works.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
