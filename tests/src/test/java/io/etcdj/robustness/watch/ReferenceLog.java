package io.etcdj.robustness.watch;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.robustness.traffic.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The write history as events: everything a watch on all keys from revision 1 delivered, which
 * resumed watches are compared with. It is only trusted once it checks out on its own:
 * <ul>
 *   <li>complete — every revision from 2 to the last has at least one event (a revision only
 *       advances by a write, and a write has an event), and the watch was never compacted;</li>
 *   <li>unique and ordered — no (revision, key) twice, revisions never going back;</li>
 *   <li>prev_kv — each event's prev_kv is the key's previous put in the log, or absent when the key
 *       was absent (or, as etcd reads prev_kv at revision − 1, when that revision had been compacted
 *       by the time the event was sent);</li>
 *   <li>reliable — every write the traffic had acknowledged is there at its revision with its
 *       value, and every value was written by some client.</li>
 * </ul>
 */
public final class ReferenceLog {

    private final NavigableMap<Long, List<Event>> byRevision = new TreeMap<>();
    private final Map<Event, KeyValue> previous = new HashMap<>(); // event -> the key's kv before it, if any
    private final List<String> violations = new ArrayList<>();
    private final long lastRevision;

    /** Builds the log from the reference watch (on all keys, from revision 1, with prev_kv). */
    public ReferenceLog(ResumingWatch reference, History history, Set<String> otherValues) {
        Map<String, KeyValue> current = new HashMap<>();
        long last = 1;
        for (ResumingWatch.Segment s : reference.segments()) {
            if (s.compactRevision() != 0) {
                violate("the reference watch was compacted at " + s.compactRevision() + ": the log is incomplete");
            }
            for (ResumingWatch.Delivered d : s.events()) {
                Event e = d.event();
                long rev = e.getKv().getModRevision();
                String key = e.getKv().getKey().toStringUtf8();
                if (rev < last) {
                    violate("reference: " + ResumingWatch.describe(e) + " after revision " + last);
                }
                if (rev > last + 1) {
                    violate("reference: revisions " + (last + 1) + ".." + (rev - 1) + " have no event");
                }
                List<Event> at = byRevision.computeIfAbsent(rev, r -> new ArrayList<>());
                if (at.stream().anyMatch(o -> o.getKv().getKey().equals(e.getKv().getKey()))) {
                    violate("reference: " + ResumingWatch.describe(e) + " twice");
                    continue;
                }
                KeyValue before = current.get(key);
                checkPrevKv(e, before, d.compactionRequestedAtReceipt());
                at.add(e);
                if (before != null) {
                    previous.put(e, before);
                }
                current.put(key, e.getType() == Event.EventType.PUT ? e.getKv() : null);
                last = Math.max(last, rev);
            }
        }
        this.lastRevision = last;
        checkReliable(history, otherValues);
    }

    private void checkPrevKv(Event e, KeyValue before, long compactionRequested) {
        if (!e.hasPrevKv()) {
            if (before != null && e.getKv().getModRevision() - 1 >= compactionRequested) {
                violate("reference: " + ResumingWatch.describe(e) + " has no prev_kv but the key held " + brief(before));
            }
        } else if (!Objects.equals(e.getPrevKv(), before)) {
            violate("reference: " + ResumingWatch.describe(e) + " has prev_kv " + brief(e.getPrevKv())
                    + " but the key held " + (before == null ? "nothing" : brief(before)));
        }
    }

    private void checkReliable(History history, Set<String> otherValues) {
        Set<String> possible = new HashSet<>(history.possibleValues());
        possible.addAll(otherValues);
        for (List<Event> events : byRevision.values()) {
            for (Event e : events) {
                if (e.getType() == Event.EventType.PUT && !possible.contains(e.getKv().getValue().toStringUtf8())) {
                    violate("reference: " + ResumingWatch.describe(e) + " carries '" + e.getKv().getValue().toStringUtf8()
                            + "', which no client wrote");
                }
            }
        }
        for (History.AckedWrite w : history.ackedWrites()) {
            if (w.revision() > lastRevision) {
                continue; // acknowledged after the log's end
            }
            boolean there = byRevision.getOrDefault(w.revision(), List.of()).stream().anyMatch(e ->
                    e.getKv().getKey().toStringUtf8().equals(w.key())
                            && (w.value() == null ? e.getType() == Event.EventType.DELETE
                            : e.getType() == Event.EventType.PUT && e.getKv().getValue().toStringUtf8().equals(w.value())));
            if (!there) {
                violate("reference: acknowledged write " + w + " is missing");
            }
        }
    }

    public long lastRevision() {
        return lastRevision;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int events() {
        return byRevision.values().stream().mapToInt(List::size).sum();
    }

    /** The events on keys in {@code range} with {@code from <= revision <= to}, in revision order. */
    public List<Event> events(WatchedRange range, long from, long to) {
        List<Event> out = new ArrayList<>();
        if (from > to) {
            return out;
        }
        for (List<Event> at : byRevision.subMap(from, true, to, true).values()) {
            for (Event e : at) {
                if (range.contains(e.getKv().getKey())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The revision of the last event on a key in {@code range} at or below {@code to}; 0 if none. */
    public long lastEventIn(WatchedRange range, long to) {
        for (Map.Entry<Long, List<Event>> at : byRevision.headMap(to, true).descendingMap().entrySet()) {
            if (at.getValue().stream().anyMatch(e -> range.contains(e.getKv().getKey()))) {
                return at.getKey();
            }
        }
        return 0;
    }

    /** The key's value before {@code e} (the previous put), or null when the key was absent. */
    public KeyValue previous(Event e) {
        return previous.get(e);
    }

    private void violate(String what) {
        if (violations.size() < 20) {
            violations.add(what);
        }
    }

    static String brief(KeyValue kv) {
        return "'" + kv.getValue().toStringUtf8() + "'@" + kv.getModRevision();
    }
}
