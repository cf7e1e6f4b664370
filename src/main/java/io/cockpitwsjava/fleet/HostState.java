package io.cockpitwsjava.fleet;

/** A host's state as the fleet API names it. */
public enum HostState {
    /** The last status run answered. */
    UP("up"),
    /** The last probe failed; {@link HostStatus#problem()} says why. */
    DOWN("down"),
    /** Not probed (yet): no prober, no probe account for the host, or the first probe is still running. */
    UNKNOWN("unknown");

    private final String json;

    HostState(String json) {
        this.json = json;
    }

    /** The name in the API and in metric labels. */
    public String json() {
        return json;
    }
}
