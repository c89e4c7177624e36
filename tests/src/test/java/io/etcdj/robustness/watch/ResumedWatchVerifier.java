package io.etcdj.robustness.watch;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compares what a {@link ResumingWatch} delivered with the {@link ReferenceLog}. A segment that
 * started from revision {@code s} and delivered up to revision {@code l} must have delivered
 * exactly the log's events in its range between {@code s} and {@code l}, in order: no gap, no
 * duplicate, no event the log does not have, each event identical (type, key, value, create and
 * mod revision, version, lease). Segments follow each other without overlap (the watch resumes
 * from the last revision + 1), so the whole watch is then gap-free except where a compacted
 * response moved it on.
 *
 * <p>prev_kv, when the watch asked for it, must be the key's previous put in the log, and absent
 * when the key was absent. Two things etcd itself does are allowed and counted:
 * <ul>
 *   <li>prev_kv missing when revision − 1 had been compacted by the time the event arrived (etcd
 *       reads prev_kv at revision − 1 and leaves it out when that read is compacted);</li>
 *   <li>the delete at exactly a compaction revision missing from a watch that starts there: a
 *       compaction keeps each key's last revision at or below it, except a tombstone.</li>
 * </ul>
 */
public final class ResumedWatchVerifier {

    private final ReferenceLog log;
    private final Set<Long> compactionRevisions;
    private final List<String> violations = new ArrayList<>();
    private int eventsChecked;
    private int prevKvCompacted;
    private int tombstonesAtCompaction;

    /** @param compactionRevisions every revision a compaction was requested at */
    public ResumedWatchVerifier(ReferenceLog log, Set<Long> compactionRevisions) {
        this.log = log;
        this.compactionRevisions = compactionRevisions;
    }

    public void verify(ResumingWatch w) {
        for (ResumingWatch.Segment s : w.segments()) {
            List<ResumingWatch.Delivered> got = s.events().stream()
                    .filter(d -> d.event().getKv().getModRevision() <= log.lastRevision()).toList();
            if (got.isEmpty()) {
                continue;
            }
            long last = got.get(got.size() - 1).event().getKv().getModRevision();
            List<Event> want = new ArrayList<>(log.events(w.range(), s.start(), last));
            if (!want.isEmpty() && want.get(0).getType() == Event.EventType.DELETE
                    && want.get(0).getKv().getModRevision() == s.start() && compactionRevisions.contains(s.start())
                    && got.get(0).event().getKv().getModRevision() > s.start()) {
                tombstonesAtCompaction++;
                want.remove(0);
            }
            compare(w, s, got, want);
        }
    }

    private void compare(ResumingWatch w, ResumingWatch.Segment s, List<ResumingWatch.Delivered> got, List<Event> want) {
        String where = w + ", segment from " + s.start() + " on " + s.member();
        for (int i = 0; i < Math.max(got.size(), want.size()); i++) {
            if (i >= got.size()) {
                violate(where + ": " + ResumingWatch.describe(want.get(i)) + " was never delivered");
                return;
            }
            Event g = got.get(i).event();
            if (i >= want.size()) {
                violate(where + ": delivered " + ResumingWatch.describe(g) + ", which the log does not have there");
                return;
            }
            Event e = want.get(i);
            if (g.getType() != e.getType() || !g.getKv().equals(e.getKv())) {
                violate(where + ": delivered " + ResumingWatch.describe(g) + " " + g.getKv().getValue().toStringUtf8()
                        + " where the log has " + ResumingWatch.describe(e) + " " + e.getKv().getValue().toStringUtf8()
                        + (g.getKv().getModRevision() > e.getKv().getModRevision() ? " (a gap)" : " (a duplicate or stray event)"));
                return;
            }
            eventsChecked++;
            checkPrevKv(where, w.prevKv(), got.get(i), log.previous(e));
        }
    }

    private void checkPrevKv(String where, boolean asked, ResumingWatch.Delivered d, KeyValue before) {
        Event g = d.event();
        if (!asked || before == null) {
            if (g.hasPrevKv()) {
                violate(where + ": " + ResumingWatch.describe(g) + " has prev_kv " + ReferenceLog.brief(g.getPrevKv())
                        + (asked ? " but the key was absent" : " which the watch did not ask for"));
            }
            return;
        }
        if (!g.hasPrevKv()) {
            if (g.getKv().getModRevision() - 1 < d.compactionRequestedAtReceipt()) {
                prevKvCompacted++;
            } else {
                violate(where + ": " + ResumingWatch.describe(g) + " has no prev_kv; the key held " + ReferenceLog.brief(before));
            }
        } else if (!g.getPrevKv().equals(before)) {
            violate(where + ": " + ResumingWatch.describe(g) + " has prev_kv " + ReferenceLog.brief(g.getPrevKv())
                    + " but the key held " + ReferenceLog.brief(before));
        }
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int eventsChecked() {
        return eventsChecked;
    }

    public String summary() {
        return eventsChecked + " events compared with the log; allowed: " + prevKvCompacted
                + " prev_kv left out (revision − 1 compacted), " + tombstonesAtCompaction
                + " delete at the compaction revision a segment started from left out";
    }

    private void violate(String what) {
        if (violations.size() < 30) {
            violations.add(what);
        }
    }
}
