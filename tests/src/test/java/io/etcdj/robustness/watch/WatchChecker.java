package io.etcdj.robustness.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.robustness.traffic.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the events of one logical watch over the whole key space, started at revision
 * {@code startRevision} on an empty store (so the checker knows every key's previous value), and
 * possibly resumed across reconnects from the last revision seen + 1.
 *
 * <p>While events arrive ({@link #accept}), it checks they are <b>ordered</b> (revisions never go
 * back), <b>unique</b> (no (revision, key) twice), <b>atomic</b> (all events of a revision come in
 * one response) and carry a correct <b>prev_kv</b> (the key's previous value and modification
 * revision, or none when the key was absent). {@link #verify} then checks the stream is
 * <b>reliable</b> against the history: every acknowledged write shows up at its revision with its
 * value, and no event carries a value nobody wrote.
 */
public final class WatchChecker {

    private record Seen(String value, long modRevision) {
    }

    private final List<String> violations = new ArrayList<>();
    private final Map<String, Seen> current = new HashMap<>();
    private final Map<Long, Map<String, String>> byRevision = new HashMap<>();
    private final Set<String> eventValues = new HashSet<>();
    private long lastRevision;
    private long lastResponseRevision;
    private int events;

    public WatchChecker(long startRevision) {
        this.lastRevision = startRevision - 1;
    }

    public synchronized long lastRevision() {
        return lastRevision;
    }

    public synchronized int events() {
        return events;
    }

    public synchronized void accept(WatchResponse response) {
        long responseFirst = -1;
        for (Event e : response.getEventsList()) {
            KeyValue kv = e.getKv();
            String key = kv.getKey().toStringUtf8();
            long rev = kv.getModRevision();
            events++;
            if (rev < lastRevision) {
                violate("ordered: event " + describe(e) + " after revision " + lastRevision);
            }
            if (responseFirst < 0) {
                responseFirst = rev;
                if (rev == lastResponseRevision && rev != 0) {
                    violate("atomic: revision " + rev + " split across responses");
                }
            }
            Map<String, String> keys = byRevision.computeIfAbsent(rev, r -> new HashMap<>());
            if (keys.containsKey(key)) {
                violate("unique: " + describe(e) + " delivered twice");
                continue;
            }
            String value = e.getType() == Event.EventType.DELETE ? null : kv.getValue().toStringUtf8();
            keys.put(key, value);
            if (value != null) {
                eventValues.add(value);
            }
            checkPrevKv(e, key);
            current.put(key, value == null ? null : new Seen(value, rev));
            lastRevision = Math.max(lastRevision, rev);
        }
        if (responseFirst >= 0) {
            lastResponseRevision = lastRevision;
        }
    }

    private void checkPrevKv(Event e, String key) {
        Seen before = current.get(key);
        if (!e.hasPrevKv()) {
            if (before != null) {
                violate("prev_kv: " + describe(e) + " has no prev_kv but the key held '" + before.value()
                        + "' at " + before.modRevision());
            }
            return;
        }
        KeyValue prev = e.getPrevKv();
        if (before == null) {
            violate("prev_kv: " + describe(e) + " has prev_kv '" + prev.getValue().toStringUtf8()
                    + "' but the key was absent");
        } else if (!before.value().equals(prev.getValue().toStringUtf8()) || before.modRevision() != prev.getModRevision()) {
            violate("prev_kv: " + describe(e) + " has prev_kv '" + prev.getValue().toStringUtf8() + "'@"
                    + prev.getModRevision() + " but the key held '" + before.value() + "'@" + before.modRevision());
        }
    }

    /** The watch was cut and will resume from {@link #lastRevision()} + 1. */
    public synchronized void noteResume() {
        lastResponseRevision = 0;
    }

    /** Checks reliability against the history; returns every violation found (empty = all good). */
    public synchronized List<String> verify(History history) {
        List<String> out = new ArrayList<>(violations);
        Set<String> possible = new HashSet<>(history.possibleValues());
        for (String v : eventValues) {
            if (!possible.contains(v)) {
                out.add("reliable: an event carries '" + v + "', which no client wrote");
            }
        }
        for (History.AckedWrite w : history.ackedWrites()) {
            if (w.revision() > lastRevision) {
                out.add("reliable: acknowledged write " + w + " is beyond the last watched revision " + lastRevision);
                continue;
            }
            Map<String, String> keys = byRevision.get(w.revision());
            if (keys == null || !keys.containsKey(w.key()) || !Objects.equals(keys.get(w.key()), w.value())) {
                out.add("reliable: acknowledged write " + w + " is missing from the watch stream"
                        + (keys == null ? "" : " (revision " + w.revision() + " shows " + keys + ")"));
            }
        }
        return out;
    }

    /** How many acknowledged writes the watch stream does not show (lost writes, if the watch is complete). */
    public synchronized long missingAcknowledgedWrites(History history) {
        return history.ackedWrites().stream().filter(w -> {
            Map<String, String> keys = byRevision.get(w.revision());
            return keys == null || !keys.containsKey(w.key()) || !Objects.equals(keys.get(w.key()), w.value());
        }).count();
    }

    private void violate(String what) {
        if (violations.size() < 50) {
            violations.add(what);
        }
    }

    private static String describe(Event e) {
        return e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@" + e.getKv().getModRevision();
    }
}
