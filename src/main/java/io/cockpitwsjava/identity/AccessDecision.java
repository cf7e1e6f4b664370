package io.cockpitwsjava.identity;

/** The answer of the access rules for one identity and one host. */
public sealed interface AccessDecision {

    /** True if the login may go ahead. */
    boolean granted();

    /**
     * The login may go ahead.
     *
     * @param sshUser   log in as this account (and put it in the certificate as principal)
     * @param superuser whether administrative access may be offered in this session
     * @param rule      the number of the deciding rule (for the audit log)
     */
    record Granted(String sshUser, boolean superuser, int rule) implements AccessDecision {
        @Override
        public boolean granted() {
            return true;
        }
    }

    /**
     * No login. The web layer answers both reasons the same way, so a caller cannot probe which hosts exist.
     *
     * @param reason  why, for logs and the audit line
     * @param message a sentence for logs (names the identity and host; never shown to other users)
     */
    record Refused(Reason reason, String message) implements AccessDecision {
        @Override
        public boolean granted() {
            return false;
        }
    }

    /** Why a login is refused. */
    enum Reason {
        /** The name is not in the inventory. */
        UNKNOWN_HOST,
        /** The host exists, but no rule grants it to this identity. */
        NOT_GRANTED
    }
}
