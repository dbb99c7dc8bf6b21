export { type ApiPrincipal, authenticate } from "./auth.server";
export { getApiDeps } from "./deps.server";
export * from "./handlers.server";
export { ApiError, jsonResponse, methodNotAllowed, withApiErrors } from "./http";
export { handleApiRequest } from "./router.server";
