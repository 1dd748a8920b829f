import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { errorResponse, notFoundResponse } from "./middleware/errors.ts";
import { chatCompletions } from "./routes/chat-completions.ts";
import { completions } from "./routes/completions.ts";
import { embeddings } from "./routes/embeddings.ts";
import { models } from "./routes/models.ts";

export const app = new Hono<AppEnv>()
  .get("/health", (c) => c.json({ status: "ok" }))
  .route("/api/v1/chat/completions", chatCompletions)
  .route("/api/v1/completions", completions)
  .route("/api/v1/embeddings", embeddings)
  .route("/api/v1/models", models);

app.onError(errorResponse);
app.notFound(notFoundResponse);
