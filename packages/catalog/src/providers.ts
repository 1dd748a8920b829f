import type { ProviderInfo } from "./types.ts";

/** Host the gateway routes to its in-process mock upstream (never leaves the Worker). */
export const MOCK_BASE_URL = "http://mock.switchyard.internal/v1";

/**
 * Upstream providers, keyed by slug. Base URLs stop before the format-specific path
 * (the adapter appends `/chat/completions`, `/messages`, `/models/{m}:generateContent`).
 */
export const providers: Record<string, ProviderInfo> = {
  openai: {
    slug: "openai",
    name: "OpenAI",
    apiFormat: "openai",
    baseUrl: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
  },
  anthropic: {
    slug: "anthropic",
    name: "Anthropic",
    apiFormat: "anthropic",
    baseUrl: "https://api.anthropic.com/v1",
    apiKeyEnv: "ANTHROPIC_API_KEY",
  },
  "google-ai-studio": {
    slug: "google-ai-studio",
    name: "Google AI Studio",
    apiFormat: "gemini",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta",
    apiKeyEnv: "GOOGLE_AI_API_KEY",
  },
  // Vertex AI in europe-west4 (Netherlands) for EU data residency. Regional Vertex URLs
  // carry the GCP project; "switchyard" is the deployment's project id. The key is a
  // Google Cloud API key bound to a service account (sent like an AI Studio key).
  "google-vertex-eu": {
    slug: "google-vertex-eu",
    name: "Google Vertex (EU)",
    apiFormat: "gemini",
    baseUrl:
      "https://europe-west4-aiplatform.googleapis.com/v1/projects/switchyard/locations/europe-west4/publishers/google",
    apiKeyEnv: "GOOGLE_VERTEX_API_KEY",
  },
  groq: {
    slug: "groq",
    name: "Groq",
    apiFormat: "openai",
    baseUrl: "https://api.groq.com/openai/v1",
    apiKeyEnv: "GROQ_API_KEY",
  },
  together: {
    slug: "together",
    name: "Together",
    apiFormat: "openai",
    baseUrl: "https://api.together.xyz/v1",
    apiKeyEnv: "TOGETHER_API_KEY",
  },
  deepseek: {
    slug: "deepseek",
    name: "DeepSeek",
    apiFormat: "openai",
    baseUrl: "https://api.deepseek.com/v1",
    apiKeyEnv: "DEEPSEEK_API_KEY",
  },
  // La Plateforme is hosted in the EU.
  mistral: {
    slug: "mistral",
    name: "Mistral",
    apiFormat: "openai",
    baseUrl: "https://api.mistral.ai/v1",
    apiKeyEnv: "MISTRAL_API_KEY",
  },
  fireworks: {
    slug: "fireworks",
    name: "Fireworks",
    apiFormat: "openai",
    baseUrl: "https://api.fireworks.ai/inference/v1",
    apiKeyEnv: "FIREWORKS_API_KEY",
  },
  // Nebius AI Studio serves from EU (Finland) data centres.
  nebius: {
    slug: "nebius",
    name: "Nebius AI Studio",
    apiFormat: "openai",
    baseUrl: "https://api.studio.nebius.com/v1",
    apiKeyEnv: "NEBIUS_API_KEY",
  },
  // In-process mocks for tests and local dev: no key; the gateway intercepts the host.
  mock: {
    slug: "mock",
    name: "Mock",
    apiFormat: "openai",
    baseUrl: MOCK_BASE_URL,
  },
  "mock-eu": {
    slug: "mock-eu",
    name: "Mock (EU)",
    apiFormat: "openai",
    baseUrl: MOCK_BASE_URL,
  },
  // The same mock, spoken to in Anthropic's and Gemini's wire formats (the mock routes by path).
  "mock-anthropic": {
    slug: "mock-anthropic",
    name: "Mock (Anthropic format)",
    apiFormat: "anthropic",
    baseUrl: MOCK_BASE_URL,
  },
  "mock-gemini": {
    slug: "mock-gemini",
    name: "Mock (Gemini format)",
    apiFormat: "gemini",
    baseUrl: MOCK_BASE_URL,
  },
};
