package io.cockpitwsjava.protocol;

import java.util.Objects;

/**
 * One question to the user during SSH authentication (keyboard-interactive prompt, new password), carried to the
 * browser as an X-Conversation round (docs/protocol.md §5.5, §5.7).
 *
 * @param prompt  the prompt text, e.g. {@code "Verification code: "}
 * @param echo    true if the answer may be shown while typed
 * @param message text to show above the prompt (keyboard-interactive name and instruction), or {@code null}
 */
public record Prompt(String prompt, boolean echo, String message) {
    public Prompt {
        Objects.requireNonNull(prompt, "prompt");
    }
}
