package io.cockpitwsjava.signin;

import java.util.List;

/** A users file that cannot be used: every problem found, each naming its line. */
public final class InvalidUsersFileException extends Exception {
    private final List<String> problems;

    public InvalidUsersFileException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
