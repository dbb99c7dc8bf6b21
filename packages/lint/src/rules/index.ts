/** Explicit registry of every rule, in reporting order. */

import { buildkitRules } from "./buildkit/index.ts";
import { DL1001 } from "./DL1001.ts";
import { DL3000 } from "./DL3000.ts";
import { DL3001 } from "./DL3001.ts";
import { DL3002 } from "./DL3002.ts";
import { DL3003 } from "./DL3003.ts";
import { DL3004 } from "./DL3004.ts";
import { DL3006 } from "./DL3006.ts";
import { DL3007 } from "./DL3007.ts";
import { DL3008 } from "./DL3008.ts";
import { DL3009 } from "./DL3009.ts";
import { DL3010 } from "./DL3010.ts";
import { DL3011 } from "./DL3011.ts";
import { DL3012 } from "./DL3012.ts";
import { DL3013 } from "./DL3013.ts";
import { DL3014 } from "./DL3014.ts";
import { DL3015 } from "./DL3015.ts";
import { DL3016 } from "./DL3016.ts";
import { DL3018 } from "./DL3018.ts";
import { DL3019 } from "./DL3019.ts";
import { DL3020 } from "./DL3020.ts";
import { DL3021 } from "./DL3021.ts";
import { DL3022 } from "./DL3022.ts";
import { DL3023 } from "./DL3023.ts";
import { DL3024 } from "./DL3024.ts";
import { DL3025 } from "./DL3025.ts";
import { DL3026 } from "./DL3026.ts";
import { DL3027 } from "./DL3027.ts";
import { DL3028 } from "./DL3028.ts";
import { DL3029 } from "./DL3029.ts";
import { DL3030 } from "./DL3030.ts";
import { DL3032 } from "./DL3032.ts";
import { DL3033 } from "./DL3033.ts";
import { DL3034 } from "./DL3034.ts";
import { DL3035 } from "./DL3035.ts";
import { DL3036 } from "./DL3036.ts";
import { DL3037 } from "./DL3037.ts";
import { DL3038 } from "./DL3038.ts";
import { DL3040 } from "./DL3040.ts";
import { DL3041 } from "./DL3041.ts";
import { DL3042 } from "./DL3042.ts";
import { DL3043 } from "./DL3043.ts";
import { DL3044 } from "./DL3044.ts";
import { DL3045 } from "./DL3045.ts";
import { DL3046 } from "./DL3046.ts";
import { DL3047 } from "./DL3047.ts";
import { DL3048 } from "./DL3048.ts";
import { DL3049 } from "./DL3049.ts";
import { DL3050 } from "./DL3050.ts";
import { DL3051 } from "./DL3051.ts";
import { DL3052 } from "./DL3052.ts";
import { DL3053 } from "./DL3053.ts";
import { DL3054 } from "./DL3054.ts";
import { DL3055 } from "./DL3055.ts";
import { DL3056 } from "./DL3056.ts";
import { DL3057 } from "./DL3057.ts";
import { DL3058 } from "./DL3058.ts";
import { DL3059 } from "./DL3059.ts";
import { DL3060 } from "./DL3060.ts";
import { DL3061 } from "./DL3061.ts";
import { DL3062 } from "./DL3062.ts";
import { DL3063 } from "./DL3063.ts";
import { DL3064 } from "./DL3064.ts";
import { DL3065 } from "./DL3065.ts";
import { DL3066 } from "./DL3066.ts";
import { DL3067 } from "./DL3067.ts";
import { DL4000 } from "./DL4000.ts";
import { DL4001 } from "./DL4001.ts";
import { DL4003 } from "./DL4003.ts";
import { DL4004 } from "./DL4004.ts";
import { DL4005 } from "./DL4005.ts";
import { DL4006 } from "./DL4006.ts";
import { SW1001 } from "./SW1001.ts";
import { SW1002 } from "./SW1002.ts";
import { SW1003 } from "./SW1003.ts";
import { SW1004 } from "./SW1004.ts";
import { SW1005 } from "./SW1005.ts";
import { SW1006 } from "./SW1006.ts";
import type { Rule } from "./types.ts";

export const hadolintRules: Rule[] = [
  DL1001,
  DL3000,
  DL3001,
  DL3002,
  DL3003,
  DL3004,
  DL3006,
  DL3007,
  DL3008,
  DL3009,
  DL3010,
  DL3011,
  DL3012,
  DL3013,
  DL3014,
  DL3015,
  DL3016,
  DL3018,
  DL3019,
  DL3020,
  DL3021,
  DL3022,
  DL3023,
  DL3024,
  DL3025,
  DL3026,
  DL3027,
  DL3028,
  DL3029,
  DL3030,
  DL3032,
  DL3033,
  DL3034,
  DL3035,
  DL3036,
  DL3037,
  DL3038,
  DL3040,
  DL3041,
  DL3042,
  DL3043,
  DL3044,
  DL3045,
  DL3046,
  DL3047,
  DL3048,
  DL3049,
  DL3050,
  DL3051,
  DL3052,
  DL3053,
  DL3054,
  DL3055,
  DL3056,
  DL3057,
  DL3058,
  DL3059,
  DL3060,
  DL3061,
  DL3062,
  DL3063,
  DL3064,
  DL3065,
  DL3066,
  DL3067,
  DL4000,
  DL4001,
  DL4003,
  DL4004,
  DL4005,
  DL4006,
];

export const slipwayRules: Rule[] = [SW1001, SW1002, SW1003, SW1004, SW1005, SW1006];

export { buildkitRules };

export const rules: Rule[] = [...hadolintRules, ...buildkitRules, ...slipwayRules];
