package io.cockpitwsjava.ssh;

import java.util.concurrent.CompletableFuture;

/**
 * Asks the user a {@link Prompt} during SSH authentication (one X-Conversation round per prompt). The future
 * completes with the answer, or exceptionally if the user gave up or the round timed out. The SSH side waits for it
 * on a MINA I/O thread (beiboot §13.5: one-time answers cannot be replayed on a new connection), bounded by
 * {@link SshSettings#responseTimeout()}.
 */
@FunctionalInterface
public interface LoginConversation {
    CompletableFuture<String> ask(Prompt prompt);
}
