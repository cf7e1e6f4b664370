package io.cockpitwsjava.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code Authorization} header of {@code GET /<app>/login} (docs/protocol.md §5), split into what the login protocol
 * acts on. Pure: it decodes no credentials and looks nothing up. The header is stripped and split at single spaces;
 * the scheme is case-insensitive.
 */
sealed interface LoginAuthorization {

    /** No header, or only white space: the answer is 401 "Authentication required". */
    record Missing() implements LoginAuthorization {
    }

    /**
     * {@code Basic <b64>}: the second space-separated word, still base64 ({@link BasicCredentials#parse} decodes it);
     * empty when there is none. Later words are ignored.
     */
    record Basic(String credentials) implements LoginAuthorization {
        @Override
        public String toString() {
            return "Basic[credentials of " + credentials.length() + " chars]";
        }
    }

    /**
     * {@code X-Conversation <id> <b64 answer>}: the answer to a login prompt, MIME-base64 decoded as UTF-8 (bad
     * UTF-8 becomes U+FFFD); invalid base64 gives an empty answer.
     */
    record Conversation(String id, String answer) implements LoginAuthorization {
        @Override
        public String toString() {
            return "Conversation[answer of " + answer.length() + " chars]";
        }
    }

    /** {@code X-Conversation} without exactly an id and an answer: 401 "Invalid conversation token". */
    record Malformed() implements LoginAuthorization {
    }

    /** Any other scheme, lower-cased: 401 "Authentication disabled". */
    record Unsupported(String scheme) implements LoginAuthorization {
        @Override
        public String toString() {
            // a header without a space is all scheme, and may be a credential sent without one
            return "Unsupported[scheme of " + scheme.length() + " chars]";
        }
    }

    /** Splits a header value; {@code null} is {@link Missing}. Never throws. */
    static LoginAuthorization parse(String header) {
        if (header == null || header.isBlank()) {
            return new Missing();
        }
        String[] parts = header.strip().split(" ");
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("x-conversation")) {
            if (parts.length != 3) {
                return new Malformed();
            }
            String answer;
            try {
                answer = new String(Base64.getMimeDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                answer = "";
            }
            return new Conversation(parts[1], answer);
        }
        if (scheme.equals("basic")) {
            return new Basic(parts.length > 1 ? parts[1] : "");
        }
        return new Unsupported(scheme);
    }
}
