package dev.cellar.drill;

import dev.cellar.drill.check.CheckResult;
import dev.cellar.drill.check.QueryTiming;
import dev.cellar.repo.RepositoryJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A drill report as the files stored in the repository: summary.json first (what the quarterly
 * and annual reports read), then report.json, report.md and report.html. The HTML page is self-contained
 * (inline CSS and SVG, no script, font or external address) so an auditor can open it offline years later.
 */
public final class DrillReportRenderer {
    private static final String[] PHASE_COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"};

    private DrillReportRenderer() {
    }

    /** The files of the report, summary.json first. {@code previous}: earlier drills' summaries, oldest first, for the trend. */
    public static Map<String, byte[]> files(DrillReport report, List<DrillSummary> previous) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(DrillSummary.FILE, RepositoryJson.write(report.summary()));
        files.put("report.json", RepositoryJson.write(report));
        files.put("report.md", markdown(report).getBytes(StandardCharsets.UTF_8));
        files.put("report.html", html(report, previous).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    public static String markdown(DrillReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Drill ").append(r.id()).append(" of ").append(r.database()).append(": ").append(r.passed() ? "PASSED" : "FAILED").append("\n\n");
        md.append("- started: ").append(r.started()).append("\n- finished: ").append(r.finished()).append('\n');
        md.append("- disaster moment (last heartbeat committed on the source): ").append(r.disasterMoment() == null ? "-" : r.disasterMoment()).append('\n');
        md.append("- RTO (slowest copy ready): ").append(ObjectiveDuration.format(r.rto())).append('\n');
        md.append("- RPO: ").append(rpoText(r.rpo())).append("\n\n");
        if (!r.failures().isEmpty()) {
            md.append("## Failures\n\n");
            r.failures().forEach(f -> md.append("- ").append(f).append('\n'));
            md.append('\n');
        }
        md.append("## Objectives\n\n| measure | scope | objective | measured | verdict |\n|---|---|---|---|---|\n");
        for (ObjectiveVerdict v : r.verdicts()) {
            md.append("| ").append(v.measure()).append(" | ").append(v.scope()).append(" | ").append(ObjectiveDuration.format(v.objective()))
                    .append(" | ").append(ObjectiveDuration.format(v.measured())).append(" | ").append(v.met() ? "met" : "MISSED").append(" |\n");
        }
        md.append("\n## Phases\n\n| copy | phase | start | duration |\n|---|---|---|---|\n");
        for (DrillPhase p : r.phases()) {
            md.append("| ").append(p.copy()).append(" | ").append(p.name()).append(" | ").append(p.start()).append(" | ")
                    .append(ObjectiveDuration.format(p.duration())).append(" |\n");
        }
        for (RestoredCopy copy : r.copies()) {
            md.append("\n## ").append(copy.name()).append(": ").append(copy.ready() ? "ready" : "NOT READY").append("\n\n");
            md.append("- backup: ").append(copy.backupId() == null ? "-" : copy.backupId()).append("\n- target: ").append(copy.target())
                    .append("\n- RTO: ").append(ObjectiveDuration.format(copy.rto())).append('\n');
            if (copy.failure() != null) {
                md.append("- failure: ").append(copy.failure()).append('\n');
            }
            if (!copy.checks().isEmpty()) {
                md.append("\n| check | subject | status | detail |\n|---|---|---|---|\n");
                for (CheckResult c : copy.checks()) {
                    md.append("| ").append(c.check()).append(" | ").append(c.subject()).append(" | ").append(c.status()).append(" | ")
                            .append(c.detail().replace("|", "\\|")).append(" |\n");
                }
            }
            if (!copy.timings().isEmpty()) {
                md.append("\n| query | source ms | restored ms | ratio |\n|---|---|---|---|\n");
                for (QueryTiming t : copy.timings()) {
                    md.append("| ").append(t.name()).append(" | ").append(number(t.sourceMillis())).append(" | ").append(number(t.restoredMillis()))
                            .append(" | ").append(number(t.ratio())).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    public static String html(DrillReport r, List<DrillSummary> previous) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drill ").append(esc(r.id())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}")
                .append(".passed{color:#1a7f37}.failed{color:#c62828}.verdict{font-size:1.6em;font-weight:bold}svg{border:1px solid #ddd;background:#fff}")
                .append("</style></head><body>\n");
        h.append("<h1>Drill ").append(esc(r.id())).append(" of ").append(esc(r.database())).append("</h1>\n");
        h.append("<p class=\"verdict ").append(r.passed() ? "passed\">PASSED" : "failed\">FAILED").append("</p>\n");
        h.append("<p>Started ").append(r.started()).append(", finished ").append(r.finished()).append(". Disaster moment: ")
                .append(r.disasterMoment() == null ? "-" : r.disasterMoment()).append(".<br>RTO ").append(esc(ObjectiveDuration.format(r.rto())))
                .append(", RPO ").append(esc(rpoText(r.rpo()))).append(".</p>\n");
        if (!r.failures().isEmpty()) {
            h.append("<h2>Failures</h2><ul>");
            r.failures().forEach(f -> h.append("<li class=\"failed\">").append(esc(f)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Objectives</h2><table><tr><th>measure</th><th>scope</th><th>objective</th><th>measured</th><th>verdict</th></tr>");
        for (ObjectiveVerdict v : r.verdicts()) {
            h.append("<tr><td>").append(v.measure()).append("</td><td>").append(esc(v.scope())).append("</td><td>")
                    .append(esc(ObjectiveDuration.format(v.objective()))).append("</td><td>").append(esc(ObjectiveDuration.format(v.measured())))
                    .append("</td><td class=\"").append(v.met() ? "passed\">met" : "failed\">missed").append("</td></tr>");
        }
        h.append("</table>\n<h2>Timeline</h2>\n").append(timeline(r.phases())).append('\n');
        h.append("<h2>Restored copies</h2>\n");
        for (RestoredCopy copy : r.copies()) {
            h.append("<h3>").append(esc(copy.name())).append(": <span class=\"").append(copy.ready() ? "passed\">ready" : "failed\">not ready")
                    .append("</span></h3><p>backup ").append(esc(copy.backupId() == null ? "-" : copy.backupId())).append(", target ")
                    .append(esc(copy.target())).append(", RTO ").append(esc(ObjectiveDuration.format(copy.rto()))).append("</p>");
            if (copy.failure() != null) {
                h.append("<p class=\"failed\">").append(esc(copy.failure())).append("</p>");
            }
            h.append("<table><tr><th>check</th><th>subject</th><th>status</th><th>detail</th></tr>");
            for (CheckResult c : copy.checks()) {
                h.append("<tr><td>").append(esc(c.check())).append("</td><td>").append(esc(c.subject())).append("</td><td class=\"")
                        .append(c.failed() ? "failed" : "passed").append("\">").append(c.status()).append("</td><td>").append(esc(c.detail()))
                        .append("</td></tr>");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Trend over the previous drills</h2>\n").append(trend(previous, r.summary())).append('\n');
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Phases as bars on one time axis, one row per phase. */
    static String timeline(List<DrillPhase> phases) {
        int width = 900;
        int row = 22;
        int left = 260;
        int height = Math.max(1, phases.size()) * row + 30;
        StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + height + "\" role=\"img\">");
        if (phases.isEmpty()) {
            return svg.append("<text x=\"10\" y=\"20\">no phase</text></svg>").toString();
        }
        Instant first = phases.stream().map(DrillPhase::start).min(Instant::compareTo).orElseThrow();
        Instant last = phases.stream().map(DrillPhase::end).max(Instant::compareTo).orElseThrow();
        double span = Math.max(1, Duration.between(first, last).toMillis());
        double scale = (width - left - 20) / span;
        for (int i = 0; i < phases.size(); i++) {
            DrillPhase p = phases.get(i);
            double x = left + Duration.between(first, p.start()).toMillis() * scale;
            double w = Math.max(1, p.duration().toMillis() * scale);
            int y = 5 + i * row;
            svg.append("<text x=\"5\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(esc(p.copy() + ": " + p.name())).append("</text>");
            svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w)).append("\" height=\"")
                    .append(row - 6).append("\" fill=\"").append(PHASE_COLOURS[i % PHASE_COLOURS.length]).append("\"><title>")
                    .append(esc(p.name() + " " + ObjectiveDuration.format(p.duration()))).append("</title></rect>");
        }
        svg.append("<text x=\"").append(left).append("\" y=\"").append(height - 5).append("\" font-size=\"11\">0 s</text>");
        svg.append("<text x=\"").append(width - 80).append("\" y=\"").append(height - 5).append("\" font-size=\"11\">")
                .append(esc(ObjectiveDuration.format(Duration.ofMillis((long) span)))).append("</text>");
        return svg.append("</svg>").toString();
    }

    /** RTO and RPO of the previous drills and this one, as two polylines on a common scale (seconds). */
    static String trend(List<DrillSummary> previous, DrillSummary current) {
        List<DrillSummary> all = new ArrayList<>(previous);
        all.add(current);
        int width = 900;
        int height = 220;
        double max = 1;
        for (DrillSummary s : all) {
            max = Math.max(max, seconds(s.rto()));
            max = Math.max(max, seconds(s.rpo()));
        }
        StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + height + "\" role=\"img\">");
        svg.append(line(all, DrillSummary::rto, max, width, height, "#4e79a7"));
        svg.append(line(all, DrillSummary::rpo, max, width, height, "#e15759"));
        svg.append("<text x=\"10\" y=\"15\" font-size=\"12\" fill=\"#4e79a7\">RTO</text><text x=\"50\" y=\"15\" font-size=\"12\" fill=\"#e15759\">RPO</text>");
        svg.append("<text x=\"10\" y=\"").append(height - 5).append("\" font-size=\"11\">").append(all.size())
                .append(" drill(s); top of the scale ").append(esc(ObjectiveDuration.format(Duration.ofMillis((long) (max * 1000))))).append("</text>");
        return svg.append("</svg>").toString();
    }

    private static String line(List<DrillSummary> all, java.util.function.Function<DrillSummary, Duration> measure, double max, int width,
                               int height, String colour) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            Duration value = measure.apply(all.get(i));
            if (value == null) {
                continue;
            }
            double x = 40 + (all.size() == 1 ? 0 : i * (width - 80.0) / (all.size() - 1));
            double y = height - 25 - seconds(value) / max * (height - 50);
            points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            dots.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"3\" fill=\"").append(colour).append("\"><title>")
                    .append(esc(all.get(i).id() + ": " + ObjectiveDuration.format(value))).append("</title></circle>");
        }
        return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + points.toString().strip() + "\"/>" + dots;
    }

    private static double seconds(Duration d) {
        return d == null ? 0 : d.toMillis() / 1000.0;
    }

    private static String rpoText(RpoMeasure rpo) {
        if (rpo == null) {
            return "- (no physical restore)";
        }
        if (rpo.rpo() == null) {
            return "- (" + rpo.method() + ")";
        }
        return ObjectiveDuration.format(rpo.rpo()) + " (newest commit recovered " + rpo.newestRecovered() + ", by " + rpo.method()
                + (rpo.archivedUpTo() == null ? "" : "; the archive held WAL up to the commit at " + rpo.archivedUpTo().lsn() + " in "
                        + rpo.archivedUpTo().file() + " at the disaster moment") + ")";
    }

    private static String number(double value) {
        return Double.isNaN(value) || value < 0 ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String esc(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
