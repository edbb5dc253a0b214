package dev.cellar.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the WAL archive holds, per timeline: the range of segments, how many, and every gap
 * inside that range. A gap on a timeline breaks point-in-time recovery across it.
 *
 * @param timelines one entry per timeline that has segments, history files or partials
 * @param gaps      missing ranges, all timelines
 */
public record WalInventory(List<TimelineRange> timelines, List<Gap> gaps) {

    /** The segments of one timeline. */
    public record TimelineRange(int timeline, String first, String last, int segments, int partials, boolean history) {
    }

    /** Segments {@code first} to {@code last} (inclusive) of a timeline are missing. */
    public record Gap(int timeline, String first, String last, long count) {
        @Override
        public String toString() {
            return "timeline " + timeline + ": " + (count == 1 ? first + " is missing" : first + " .. " + last + " missing (" + count + " segments)");
        }
    }

    public static WalInventory of(List<WalFileName> files, long segmentSize) {
        Map<Integer, List<WalFileName>> segments = new TreeMap<>();
        Map<Integer, int[]> partials = new TreeMap<>();
        Map<Integer, Boolean> histories = new TreeMap<>();
        for (WalFileName file : files) {
            switch (file.kind()) {
                case SEGMENT -> segments.computeIfAbsent(file.timeline(), t -> new ArrayList<>()).add(file);
                case PARTIAL -> partials.computeIfAbsent(file.timeline(), t -> new int[1])[0]++;
                case HISTORY -> histories.put(file.timeline(), true);
                case BACKUP_HISTORY -> { }
            }
        }
        List<TimelineRange> timelines = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        TreeMap<Integer, Boolean> all = new TreeMap<>();
        segments.keySet().forEach(t -> all.put(t, true));
        partials.keySet().forEach(t -> all.put(t, true));
        histories.keySet().forEach(t -> all.put(t, true));
        for (int timeline : all.keySet()) {
            List<WalFileName> list = segments.getOrDefault(timeline, List.of()).stream().sorted().toList();
            for (int i = 1; i < list.size(); i++) {
                long previous = list.get(i - 1).segmentNumber(segmentSize);
                long current = list.get(i).segmentNumber(segmentSize);
                if (current > previous + 1) {
                    gaps.add(new Gap(timeline, WalFileName.segment(timeline, previous + 1, segmentSize).name(),
                            WalFileName.segment(timeline, current - 1, segmentSize).name(), current - previous - 1));
                }
            }
            timelines.add(new TimelineRange(timeline, list.isEmpty() ? null : list.get(0).name(),
                    list.isEmpty() ? null : list.get(list.size() - 1).name(), list.size(),
                    partials.containsKey(timeline) ? partials.get(timeline)[0] : 0, histories.containsKey(timeline)));
        }
        return new WalInventory(timelines, gaps);
    }

    public int segmentCount() {
        return timelines.stream().mapToInt(TimelineRange::segments).sum();
    }
}
