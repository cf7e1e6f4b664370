package io.cockpitwsjava.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints the results of all gateways side by side, with our/their ratios against cockpit-ws and the goals. */
final class ResultTable {

    /** One row: how to label and format a metric, and the goal if the issue sets one. */
    record Row(String key, String label, String unit, String goal) {
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String t : Workload.TARGETS) {
            rows.add(new Row("login." + t + ".median", "login→200 median, " + t, "ms", "≤ 0.5×"));
            rows.add(new Row("login." + t + ".p90", "login→200 p90, " + t, "ms", ""));
            rows.add(new Row("init." + t + ".median", "login→socket init median, " + t, "ms", ""));
            rows.add(new Row("login." + t + ".failed", "failed logins, " + t, "", ""));
        }
        for (String t : Workload.TARGETS) {
            rows.add(new Row("echo." + t + ".median", "echo round trip median, " + t, "µs", "≤ 0.5×"));
            rows.add(new Row("echo." + t + ".p99", "echo round trip p99, " + t, "µs", ""));
        }
        for (String t : Workload.TARGETS) {
            rows.add(new Row("stream." + t + ".mbps", "stream 512 MiB, " + t, "MB/s", "≥ 2×"));
            rows.add(new Row("stream." + t + ".gwcpu", "gateway CPU per GB, " + t, "s/GB", "≤ 0.25×"));
            rows.add(new Row("stream." + t + ".targetcpu", "target CPU per GB (sshd+bridge), " + t, "s/GB", ""));
            rows.add(new Row("stream." + t + ".clientcpu", "client CPU per GB (this driver), " + t, "s/GB", ""));
        }
        rows.add(new Row("mem.base.pss", "PSS at 0 sessions (after warm-up)", "MiB", ""));
        for (int n : Workload.SESSION_COUNTS) {
            rows.add(new Row("mem." + n + ".pss", "PSS per session, N=" + n, "MiB", n == 100 ? "≤ 0.55 MiB" : ""));
        }
        for (int n : Workload.SESSION_COUNTS) {
            rows.add(new Row("mem." + n + ".pssTotal", "PSS total, N=" + n, "MiB", ""));
        }
        rows.add(new Row("mem.closed.pss", "PSS 8 s after closing all, vs 0 sessions", "MiB", ""));
        rows.add(new Row("mem.base.heap", "JVM live heap at 0 sessions (after full GC)", "MiB", ""));
        for (int n : Workload.SESSION_COUNTS) {
            rows.add(new Row("mem." + n + ".heap", "JVM live heap per session, N=" + n + " (after full GC)", "MiB", ""));
        }
        rows.add(new Row("mem.closed.heap", "JVM live heap 8 s after closing all, vs 0", "MiB", ""));
        for (int n : Workload.SESSION_COUNTS) {
            rows.add(new Row("mem." + n + ".procs", "gateway child processes, N=" + n, "", ""));
        }
        rows.add(new Row("mem.closed.procs", "gateway child processes after closing all", "", ""));
        return rows;
    }

    static String render(List<Results> all) {
        Results theirs = all.stream().filter(r -> r.label.equals("cockpit-ws")).findFirst().orElse(null);
        List<Results> ours = all.stream().filter(r -> r != theirs).toList();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        ours.forEach(r -> header.add(r.label));
        if (theirs != null) {
            header.add(theirs.label);
            ours.forEach(r -> header.add(r.label + " / ws"));
        }
        header.add("goal");
        List<List<String>> lines = new ArrayList<>();
        for (Row row : rows()) {
            if (all.stream().noneMatch(r -> r.get(row.key()) != null)) {
                continue;
            }
            List<String> line = new ArrayList<>(List.of(row.label(), row.unit()));
            ours.forEach(r -> line.add(format(r.get(row.key()))));
            if (theirs != null) {
                line.add(format(theirs.get(row.key())));
                ours.forEach(r -> line.add(ratio(r.get(row.key()), theirs.get(row.key()))));
            }
            line.add(row.goal());
            lines.add(line);
        }
        return markdown(header, lines);
    }

    private static String format(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e6) {
            return String.format(Locale.ROOT, "%d", v.longValue());
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String ratio(Double ours, Double theirs) {
        if (ours == null || theirs == null || ours.isNaN() || theirs.isNaN() || theirs == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", ours / theirs);
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
            rule.add((i < 2 ? "-" : "-").repeat(w[i] - (i < 2 ? 0 : 1)) + (i < 2 ? "" : ":"));
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
