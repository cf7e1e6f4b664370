package io.cockpitwsjava.fuzz;

/** A fuzz property does not hold: a finding like a crash, raised by a harness for a wrong result. */
public final class FuzzFinding extends AssertionError {

    private static final long serialVersionUID = 1L;

    public FuzzFinding(String message) {
        super(message);
    }

    /** Throws a finding with {@code message} unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new FuzzFinding(message);
        }
    }

    /** Throws a finding unless the two values are equal. */
    public static void checkEqual(Object expected, Object actual, String what) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new FuzzFinding(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }
}
