import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { errorResponse, notFoundResponse } from "./middleware/errors.ts";
import { activity } from "./routes/activity.ts";
import { chatCompletions } from "./routes/chat-completions.ts";
import { completions } from "./routes/completions.ts";
import { credits } from "./routes/credits.ts";
import { embeddings } from "./routes/embeddings.ts";
import { generation } from "./routes/generation.ts";
import { currentKey } from "./routes/key.ts";
import { keys } from "./routes/keys.ts";
import { messages } from "./routes/messages.ts";
import { responses } from "./routes/responses.ts";
import { models } from "./routes/models.ts";

export const app = new Hono<AppEnv>()
  .get("/health", (c) => c.json({ status: "ok" }))
  .route("/api/v1/chat/completions", chatCompletions)
  .route("/api/v1/completions", completions)
  .route("/api/v1/embeddings", embeddings)
  .route("/api/v1/messages", messages)
  .route("/api/v1/responses", responses)
  .route("/api/v1/models", models)
  .route("/api/v1/key", currentKey)
  .route("/api/v1/credits", credits)
  .route("/api/v1/generation", generation)
  .route("/api/v1/activity", activity)
  .route("/api/v1/keys", keys);

app.onError(errorResponse);
app.notFound(notFoundResponse);
