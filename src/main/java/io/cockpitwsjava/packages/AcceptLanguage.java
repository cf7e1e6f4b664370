package io.cockpitwsjava.packages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bridge's reading of {@code Accept-Language} for translations (docs/beiboot.md §9.4): weighted entries plus their
 * {@code -}-prefixes, best first, cut at {@code en} (English is the untranslated original), without duplicates.
 */
final class AcceptLanguage {

    private static final String WEIGHT = ";q=";
    // what Python's float() accepts (the bridge parses q with it); underscores only between digits
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.?\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.)(?:e[+-]?\\d(?:_?\\d)*)?"
                    + "|[+-]?(?:inf|infinity)");

    private record Weighted(String locale, double q) {
    }

    private AcceptLanguage() {
    }

    /** Locales to try in order; empty for a null or English-first header. */
    static List<String> parse(String header) {
        if (header == null) {
            return List.of();
        }
        List<Weighted> weighted = new ArrayList<>();
        for (String rawEntry : header.split(",", -1)) {
            String entry = rawEntry.strip().toLowerCase(Locale.ROOT);
            int at = entry.indexOf(WEIGHT);
            String locale = at < 0 ? entry : entry.substring(0, at);
            String qText = at < 0 ? "" : entry.substring(at + WEIGHT.length());
            double q;
            if (qText.isEmpty()) {
                q = 1.0;
            } else {
                String t = qText.strip();
                if (!FLOAT.matcher(t).matches()) {
                    continue; // malformed weight: the whole entry is ignored
                }
                q = t.endsWith("inf") || t.endsWith("infinity")
                        ? (t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : Double.parseDouble(t.replace("_", ""));
            }
            while (!locale.isEmpty()) {
                weighted.add(new Weighted(locale, q));
                int dash = locale.lastIndexOf('-');
                locale = dash < 0 ? "" : locale.substring(0, dash);
            }
        }
        // List.sort is stable, as the algorithm requires
        weighted.sort(Comparator.comparingDouble(Weighted::q).reversed());
        LinkedHashSet<String> result = new LinkedHashSet<>();
        for (Weighted w : weighted) {
            if (w.locale().equals("en")) {
                break;
            }
            result.add(w.locale());
        }
        return List.copyOf(result);
    }
}
