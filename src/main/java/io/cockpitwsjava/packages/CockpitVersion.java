package io.cockpitwsjava.packages;

/**
 * Cockpit's version ordering for manifest {@code requires}: dotted components compared one by one, numeric
 * components numerically (by zero-padding, so {@code 99 < 265 < 337}), and a version that extends another is newer
 * ({@code 337.1 > 337}).
 */
final class CockpitVersion {

    private static final int PAD = 8;

    private CockpitVersion() {
    }

    /** True if {@code required} is newer than {@code available}, i.e. the requirement is not met. */
    static boolean isNewer(String required, String available) {
        return sortKey(required).compareTo(sortKey(available)) > 0;
    }

    // the same key the bridge compares: every component left-padded with zeros, joined with dots
    static String sortKey(String version) {
        StringBuilder out = new StringBuilder();
        String[] parts = version.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            String part = parts[i];
            out.append("0".repeat(Math.max(0, PAD - part.length()))).append(part);
        }
        return out.toString();
    }
}
