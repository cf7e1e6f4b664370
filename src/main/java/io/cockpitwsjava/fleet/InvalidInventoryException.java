package io.cockpitwsjava.fleet;

import java.util.List;

/** The inventory file cannot be used; {@link #problems()} lists every mistake found, each naming its line. */
public final class InvalidInventoryException extends Exception {

    private final List<String> problems;

    InvalidInventoryException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per mistake, e.g. {@code line 7: host 'build-1': address: bad host name: ...}. */
    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        return problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems: " + String.join("; ", problems);
    }
}
