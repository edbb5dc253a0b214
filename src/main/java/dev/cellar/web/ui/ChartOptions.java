package dev.cellar.web.ui;

import dev.cellar.drill.DrillSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history charts as ECharts options, built here so the page's script only hands them to ECharts: size
 * with the alert's band (per kind of backup, since the alert compares within a kind), duration, the
 * repository's growth, and the checks on a timeline.
 */
final class ChartOptions {
    private static final double MIB = 1024.0 * 1024;
    private static final double GIB = MIB * 1024;
    private static final String BAND_LOW = "band low";

    private ChartOptions() {
    }

    /** One entry per chart: its title and its options. */
    static List<Map<String, Object>> of(History history, int deviationPercent) {
        Map<String, List<History.BackupPoint>> byKind = new TreeMap<>();
        history.backups().forEach(b -> byKind.computeIfAbsent(b.kind(), k -> new ArrayList<>()).add(b));
        List<Map<String, Object>> charts = new ArrayList<>();
        byKind.forEach((kind, points) -> charts.add(chart("size-" + kind, "Size of " + kind + " backups (MiB), band ±" + deviationPercent
                + "% as alerted", sizeOptions(points, deviationPercent))));
        charts.add(chart("duration", "Duration per backup (minutes)", durationOptions(byKind)));
        charts.add(chart("growth", "Repository: stored bytes of retained backups (GiB)", growthOptions(history.growth())));
        charts.add(chart("checks", "Verifications and restore tests", checkOptions(history.checks())));
        return charts;
    }

    /**
     * RTO and RPO of each drill in minutes, with the objectives they were judged against as dashed
     * steps: a drill's point above its objective's line is a missed objective.
     */
    static Map<String, Object> drills(List<DrillSummary> drills) {
        List<DrillSummary> oldestFirst = new ArrayList<>(drills);
        oldestFirst.sort(Comparator.comparing(DrillSummary::started, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Object[]> rto = new ArrayList<>();
        List<Object[]> rpo = new ArrayList<>();
        List<Object[]> rtoObjective = new ArrayList<>();
        List<Object[]> rpoObjective = new ArrayList<>();
        for (DrillSummary d : oldestFirst) {
            String at = String.valueOf(d.started());
            rto.add(new Object[] {at, minutes(d.rto())});
            rpo.add(new Object[] {at, minutes(d.rpo())});
            rtoObjective.add(new Object[] {at, minutes(d.rtoObjective())});
            rpoObjective.add(new Object[] {at, minutes(d.rpoObjective())});
        }
        Map<String, Object> rtoLine = line("RTO", rto);
        Map<String, Object> rpoLine = line("RPO", rpo);
        // few points: each drill is a marker, not just a bend in the line
        rtoLine.put("showSymbol", true);
        rpoLine.put("showSymbol", true);
        return chart("drills", "RTO and RPO per drill (minutes), objectives dashed",
                base(List.of(rtoLine, rpoLine, objective("RTO objective", rtoObjective), objective("RPO objective", rpoObjective)), "value"));
    }

    private static Map<String, Object> objective(String name, List<Object[]> data) {
        Map<String, Object> s = line(name, data);
        s.put("step", "end");
        s.put("lineStyle", Map.of("type", "dashed"));
        return s;
    }

    private static Double minutes(Duration d) {
        return d == null ? null : round(d.toMillis() / 60_000.0);
    }

    private static Map<String, Object> chart(String id, String title, Map<String, Object> options) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("id", id);
        chart.put("title", title);
        chart.put("options", Json.forScript(options));
        return chart;
    }

    private static Map<String, Object> sizeOptions(List<History.BackupPoint> points, int deviationPercent) {
        List<Object[]> size = new ArrayList<>();
        List<Object[]> stored = new ArrayList<>();
        List<Object[]> low = new ArrayList<>();
        List<Object[]> width = new ArrayList<>();
        for (History.BackupPoint p : points) {
            String at = p.startedAt().toString();
            size.add(new Object[] {at, p.sizeBytes() == null ? null : round(p.sizeBytes() / MIB)});
            stored.add(new Object[] {at, p.storedBytes() == null ? null : round(p.storedBytes() / MIB)});
            low.add(new Object[] {at, p.band() == null ? null : round(p.band().low() / MIB)});
            width.add(new Object[] {at, p.band() == null ? null : round((p.band().high() - p.band().low()) / MIB)});
        }
        return base(List.of(
                band(BAND_LOW, low, false),
                band("alert band ±" + deviationPercent + "%", width, true),
                line("size", size),
                line("stored (new)", stored)), "value");
    }

    private static Map<String, Object> durationOptions(Map<String, List<History.BackupPoint>> byKind) {
        List<Map<String, Object>> series = new ArrayList<>();
        byKind.forEach((kind, points) -> series.add(line(kind, points.stream()
                .map(p -> new Object[] {p.startedAt().toString(), p.duration() == null ? null : round(p.duration().toMillis() / 60000.0)})
                .toList())));
        return base(series, "value");
    }

    private static Map<String, Object> growthOptions(List<History.GrowthPoint> growth) {
        return base(List.of(line("retained", growth.stream()
                .map(g -> new Object[] {g.day().toString(), round(g.storedBytes() / GIB)}).toList())), "value");
    }

    private static Map<String, Object> checkOptions(List<History.CheckPoint> checks) {
        List<Map<String, Object>> series = new ArrayList<>();
        for (String check : List.of("verify", "restore-test")) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", check);
            s.put("type", "scatter");
            s.put("symbolSize", 10);
            s.put("data", checks.stream().filter(c -> c.check().equals(check))
                    .map(c -> new Object[] {c.at().toString(), c.passed() ? "passed" : "FAILED"}).toList());
            series.add(s);
        }
        Map<String, Object> options = base(series, "category");
        options.put("yAxis", Map.of("type", "category", "data", List.of("FAILED", "passed")));
        return options;
    }

    private static Map<String, Object> base(List<Map<String, Object>> series, String yType) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("animation", false);
        // ECharts describes the chart to screen readers from its data
        options.put("aria", Map.of("enabled", true));
        options.put("tooltip", Map.of("trigger", "axis"));
        // the band's invisible lower edge is drawing machinery, not something to switch on and off
        options.put("legend", Map.of("top", 0, "type", "scroll", "data", series.stream().map(s -> s.get("name"))
                .filter(name -> !BAND_LOW.equals(name)).toList()));
        options.put("grid", Map.of("left", 48, "right", 16, "top", 40, "bottom", 56));
        options.put("xAxis", Map.of("type", "time"));
        options.put("yAxis", Map.of("type", yType, "scale", true));
        options.put("dataZoom", List.of(Map.of("type", "inside"), Map.of("type", "slider", "height", 20, "bottom", 8)));
        options.put("series", series);
        return options;
    }

    private static Map<String, Object> line(String name, List<Object[]> data) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("type", "line");
        s.put("showSymbol", false);
        s.put("connectNulls", false);
        s.put("data", data);
        return s;
    }

    /** The band is two stacked series: the invisible low edge, then the width filled on top of it. */
    private static Map<String, Object> band(String name, List<Object[]> data, boolean filled) {
        Map<String, Object> s = line(name, data);
        s.put("stack", "band");
        s.put("lineStyle", Map.of("opacity", 0));
        s.put("symbol", "none");
        if (filled) {
            s.put("areaStyle", Map.of("opacity", 0.25));
        } else {
            s.put("tooltip", Map.of("show", false));
        }
        return s;
    }

    private static Double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
