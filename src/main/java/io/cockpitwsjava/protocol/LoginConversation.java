package io.cockpitwsjava.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * Asks the user a {@link Prompt} during SSH authentication (one X-Conversation round per prompt). The future
 * completes with the answer, or exceptionally if the user gave up or the round timed out. Implemented by the login
 * (session), called by the SSH layer, which must not block a thread while the user reads the prompt.
 */
@FunctionalInterface
public interface LoginConversation {
    CompletableFuture<String> ask(Prompt prompt);
}
