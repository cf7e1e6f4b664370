package io.cockpitwsjava.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measured values of one gateway in one repetition (metric key → number), and what is worth telling about them. */
final class Results {
    final String label;
    final int rep;
    final Map<String, Double> values = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    Results(String label, int rep) {
        this.label = label;
        this.rep = rep;
    }

    void put(String key, double value) {
        values.put(key, value);
    }

    Double get(String key) {
        return values.get(key);
    }

    synchronized void note(String text) {
        notes.add(text);
        System.err.println("[" + label + " rep " + rep + "] " + text);
    }
}
