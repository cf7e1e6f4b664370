package io.cockpitwsjava.identity;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The {@code hosts:} part of an access rule: every host ({@code "*"}), or the hosts carrying all of some labels. */
public sealed interface HostSelector {

    /** True if the selector picks a host with these labels. */
    boolean matches(Map<String, String> labels);

    /**
     * True if every host this selector picks is also picked by {@code this}, whatever the inventory holds (used to
     * find rules that can never decide anything).
     */
    boolean covers(HostSelector other);

    /** {@code "*"}: every host in the inventory. */
    record Every() implements HostSelector {
        @Override
        public boolean matches(Map<String, String> labels) {
            return true;
        }

        @Override
        public boolean covers(HostSelector other) {
            return true;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /**
     * Hosts whose labels include every one of {@code required} (key and value equal, case-sensitive).
     *
     * @param required at least one label
     */
    record Labels(Map<String, String> required) implements HostSelector {
        public Labels {
            if (required.isEmpty()) {
                throw new IllegalArgumentException("a label selector needs at least one label (\"*\" selects every host)");
            }
            required = Map.copyOf(required);
        }

        @Override
        public boolean matches(Map<String, String> labels) {
            return required.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }

        @Override
        public boolean covers(HostSelector other) {
            // fewer required labels pick more hosts: this covers other if other demands all that this demands
            return other instanceof Labels l && l.required.entrySet().containsAll(required.entrySet());
        }

        @Override
        public String toString() {
            return new TreeMap<>(required).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }
}
