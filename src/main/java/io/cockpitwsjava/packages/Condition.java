package io.cockpitwsjava.packages;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A manifest {@code conditions} entry, evaluated against the target's file-existence report (docs/beiboot.md §9.1). */
sealed interface Condition {

    boolean holds(Map<String, Boolean> existsOnTarget);

    /** Adds every path this condition asks about, depth first, in manifest order. */
    void collectPaths(Consumer<String> sink);

    /** {@code path-exists} ({@code exists = true}) or {@code path-not-exists}. */
    record PathExists(String path, boolean exists) implements Condition {
        @Override
        public boolean holds(Map<String, Boolean> existsOnTarget) {
            // a path the target did not report counts as absent
            return exists == Boolean.TRUE.equals(existsOnTarget.get(path));
        }

        @Override
        public void collectPaths(Consumer<String> sink) {
            sink.accept(path);
        }
    }

    /** {@code any}: true if at least one member holds (so an empty list never holds). */
    record AnyOf(List<Condition> members) implements Condition {
        @Override
        public boolean holds(Map<String, Boolean> existsOnTarget) {
            return members.stream().anyMatch(c -> c.holds(existsOnTarget));
        }

        @Override
        public void collectPaths(Consumer<String> sink) {
            members.forEach(c -> c.collectPaths(sink));
        }
    }

    /** A predicate this gateway does not know; counts as true so newer manifests keep working. */
    record Unknown(String predicate) implements Condition {
        @Override
        public boolean holds(Map<String, Boolean> existsOnTarget) {
            return true;
        }

        @Override
        public void collectPaths(Consumer<String> sink) {
        }
    }
}
