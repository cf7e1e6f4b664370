package io.cockpitwsjava.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measured values of one gateway (metric key → number) and everything noteworthy that happened on the way. */
final class Results {
    final String label;
    final String description;
    final Map<String, Double> values = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    Results(String label, String description) {
        this.label = label;
        this.description = description;
    }

    void put(String key, double value) {
        values.put(key, value);
    }

    Double get(String key) {
        return values.get(key);
    }

    void note(String text) {
        notes.add(text);
        System.err.println("[" + label + "] " + text);
    }
}
