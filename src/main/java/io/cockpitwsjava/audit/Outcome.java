package io.cockpitwsjava.audit;

/** Whether what was attempted happened. */
public enum Outcome {
    SUCCESS("success"),
    FAILURE("failure");

    private final String json;

    Outcome(String json) {
        this.json = json;
    }

    /** The value in the audit line. */
    public String json() {
        return json;
    }
}
