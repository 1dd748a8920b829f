export * from "./errors.ts";
export * from "./chat-request.ts";
export * from "./chat-response.ts";
export * from "./validation.ts";
export * from "./embeddings.ts";
export * from "./completion-request.ts";
