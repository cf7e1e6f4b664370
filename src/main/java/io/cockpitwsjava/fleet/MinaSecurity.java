package io.cockpitwsjava.fleet;

/**
 * Sets MINA's Bouncy Castle switch before any fleet class touches MINA's key code: Bouncy Castle as a provider
 * instance, never a JVM-wide "BC" (see {@code SshConnector}: a named provider from one class loader breaks Ed25519 in
 * another). Whichever of the gateway's classes loads first must not decide otherwise.
 */
final class MinaSecurity {

    static final String USE_NAMED_BC = "org.apache.sshd.security.provider.BC.useNamed";

    static {
        if (System.getProperty(USE_NAMED_BC) == null) {
            System.setProperty(USE_NAMED_BC, "false");
        }
    }

    private MinaSecurity() {
    }

    /** Runs the static initializer (idempotent). */
    static void init() {
        // the class initializer did the work
    }
}
