export * from "./keyring.ts";
export * from "./provider-key.ts";
