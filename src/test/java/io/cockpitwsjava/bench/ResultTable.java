package io.cockpitwsjava.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One Markdown table: per metric and gateway the median over the repetitions with their min–max, the ratio of each
 * of our medians to cockpit-ws's median, and the goal where it sets one.
 */
final class ResultTable {

    /** One row: which metric, how to label it, its unit and the goal if the issue sets one. */
    record Row(String key, String label, String unit, String goal) {
    }

    /** Median, min and max of one metric over the repetitions that produced it. */
    record Summary(double median, double min, double max, int n) {
        static Summary of(List<Double> values) {
            Stats s = Stats.of(values);
            // the median of an even count is the mean of the two middle values here (unlike Stats' nearest rank)
            double[] a = s.sorted();
            double median = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
            return new Summary(median, a[0], a[a.length - 1], a.length);
        }
    }

    private ResultTable() {
    }

    static Summary summary(List<Results> runs, String key) {
        List<Double> values = new ArrayList<>();
        for (Results r : runs) {
            Double v = r.get(key);
            if (v != null && !v.isNaN()) {
                values.add(v);
            }
        }
        return values.isEmpty() ? null : Summary.of(values);
    }

    /** {@code runs}: label → that gateway's results, one per repetition; labels in column order. */
    static String render(List<Row> rows, Map<String, List<Results>> runs) {
        String theirs = runs.containsKey("cockpit-ws") ? "cockpit-ws" : null;
        List<String> ours = runs.keySet().stream().filter(l -> !l.equals(theirs)).toList();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        ours.forEach(header::add);
        if (theirs != null) {
            header.add(theirs);
            ours.forEach(l -> header.add(l + " / ws"));
        }
        header.add("goal");
        List<List<String>> lines = new ArrayList<>();
        for (Row row : rows) {
            if (runs.values().stream().allMatch(rs -> summary(rs, row.key()) == null)) {
                continue;
            }
            List<String> line = new ArrayList<>(List.of(row.label(), row.unit()));
            ours.forEach(l -> line.add(cell(summary(runs.get(l), row.key()))));
            if (theirs != null) {
                Summary ws = summary(runs.get(theirs), row.key());
                line.add(cell(ws));
                ours.forEach(l -> line.add(ratio(summary(runs.get(l), row.key()), ws)));
            }
            line.add(row.goal());
            lines.add(line);
        }
        return markdown(header, lines);
    }

    private static String cell(Summary s) {
        if (s == null) {
            return "–";
        }
        if (s.n() == 1 || s.min() == s.max()) {
            return format(s.median());
        }
        return format(s.median()) + " (" + format(s.min()) + "–" + format(s.max()) + ")";
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String ratio(Summary ours, Summary theirs) {
        if (ours == null || theirs == null || theirs.median() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", ours.median() / theirs.median());
    }

    private static String markdown(List<String> header, List<List<String>> lines) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> l : lines) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header, w);
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            rule.add(i < 2 ? "-".repeat(w[i]) : "-".repeat(w[i] - 1) + ":");
        }
        appendLine(sb, rule, w);
        lines.forEach(l -> appendLine(sb, l, w));
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            sb.append(' ').append(i < 2 ? c + pad : pad + c).append(" |");
        }
        sb.append('\n');
    }
}
