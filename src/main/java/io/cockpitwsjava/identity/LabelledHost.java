package io.cockpitwsjava.identity;

import java.util.Map;

/** What access rules see of a host: its inventory name and labels. */
public interface LabelledHost {

    /** The inventory name (as in {@code /=<name>/}). */
    String name();

    /** Label key to value; rules select hosts by these. */
    Map<String, String> labels();
}
