package io.cockpitwsjava.ssh;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.protocol.Prompt;

/**
 * Answers the server's authentication prompts of one login without holding a thread: the login password at most
 * once (the first non-echo prompt containing {@code password:}), every other prompt through the attempt's
 * {@link LoginConversation} (one X-Conversation round each, docs/protocol.md §5.7). The answers arrive as futures; the
 * MINA I/O thread that received the server's request is free meanwhile (issue 7 row 6).
 */
final class LoginPrompts {

    private static final Logger LOG = Logger.getLogger(LoginPrompts.class);

    private LoginPrompts() {
    }

    /**
     * The answers to one keyboard-interactive request, or {@code null} if this login cannot answer them (no
     * password for a password prompt, no conversation for another prompt): then the method fails at once and the
     * next one is tried.
     */
    static CompletableFuture<String[]> answers(LoginAttempt a, String name, String instruction, String[] prompts,
            boolean[] echo) {
        String[] out = new String[prompts.length];
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < prompts.length; i++) {
            int index = i;
            if (!echo[i] && prompts[i].toLowerCase(Locale.ROOT).contains("password:") && !a.passwordUsed) {
                out[i] = takePassword(a);
                if (out[i] == null) {
                    return null; // no password: this method cannot succeed
                }
                continue;
            }
            if (a.creds.conversation() == null) {
                LOG.debug("prompt without a conversation; giving up on this method");
                return null;
            }
            String text = prompts[i];
            boolean shown = echo[i];
            // one prompt after the other: the message (banner, name, instruction) is built when the prompt is shown
            chain = chain.thenCompose(v -> ask(a, new Prompt(text, shown, message(a, name, instruction))))
                    .thenAccept(answer -> out[index] = answer);
        }
        return chain.thenApply(v -> out);
    }

    /**
     * A new password for the server's password-change request (SSH {@code password} method): asked twice; completes
     * with {@code null} if the two differ.
     */
    static CompletableFuture<String> newPassword(LoginAttempt a, String prompt) {
        String first = prompt == null || prompt.isBlank() ? "New password: " : prompt;
        return ask(a, new Prompt(first, false, null)).thenCompose(pw -> ask(a,
                new Prompt("Retype new password: ", false, null)).thenApply(again -> {
                    if (!pw.equals(again)) {
                        LOG.debug("new passwords do not match");
                        return null;
                    }
                    return pw;
                }));
    }

    /** The login's password, the first time it is asked for; null after that or without one. */
    static String takePassword(LoginAttempt a) {
        if (a.passwordUsed || !a.creds.hasPassword()) {
            return null;
        }
        a.passwordUsed = true;
        return new String(a.creds.password());
    }

    /**
     * The failure for a prompt that got no answer: {@code timeout} when the user took longer than the response
     * timeout, else an authentication failure.
     */
    static ProblemException unanswered(LoginAttempt a, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof TimeoutException) {
            return new ProblemException(Problem.TIMEOUT, "no answer to a login prompt in time");
        }
        LOG.debugf("login prompt not answered: %s", e.toString());
        return SshConnector.loginFailure(a, null);
    }

    /**
     * Asks the user. The progress timer pauses while the user reads (the response timeout bounds that wait) and
     * restarts when the answer is in.
     */
    private static CompletableFuture<String> ask(LoginAttempt a, Prompt prompt) {
        a.disarm();
        return a.creds.conversation().ask(prompt).copy()
                .orTimeout(a.settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, error) -> a.arm(a.settings.authTimeout()));
    }

    private static String message(LoginAttempt a, String name, String instruction) {
        StringBuilder b = new StringBuilder();
        String banner = a.banner;
        a.banner = null;
        for (String part : new String[] {banner, name, instruction}) {
            if (part != null && !part.isBlank()) {
                if (!b.isEmpty()) {
                    b.append('\n');
                }
                b.append(part.strip());
            }
        }
        return b.isEmpty() ? null : b.toString();
    }
}
