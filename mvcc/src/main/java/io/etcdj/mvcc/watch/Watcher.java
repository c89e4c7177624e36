package io.etcdj.mvcc.watch;

import java.util.ArrayList;
import java.util.List;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.mvcc.KeyRange;

/**
 * One watch: a key range, its options, and how far it has been served. Guarded by the
 * {@link WatchableStore}'s lock.
 *
 * <p>Invariant: every event of this watcher's range with revision {@code < nextRev} has been queued to
 * its stream (or filtered out), in revision order, exactly once; none with revision {@code >= nextRev}
 * has. A synced watcher is in the store's synced group and receives each later revision as it is
 * committed; an unsynced one (new with a past start revision, or a "victim" whose stream buffer was
 * full) is served from the backend history by {@link WatchableStore#syncOnce()}.
 */
final class Watcher {
    final long id;
    final WatchStream stream;
    final KeyRange range;
    final boolean noPut;
    final boolean noDelete;
    final boolean prevKv;
    final boolean progressNotify;
    final boolean fragment;

    long nextRev;
    boolean synced;
    boolean canceled;
    /** Set when a response with events was queued since the last periodic progress tick. */
    boolean sentSinceTick;

    Watcher(long id, WatchStream stream, KeyRange range, boolean noPut, boolean noDelete, boolean prevKv,
            boolean progressNotify, boolean fragment, long nextRev) {
        this.id = id;
        this.stream = stream;
        this.range = range;
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.prevKv = prevKv;
        this.progressNotify = progressNotify;
        this.fragment = fragment;
        this.nextRev = nextRev;
    }

    /**
     * The events this watcher should receive out of {@code events} (in order): those with revision
     * {@code >= nextRev} in its range that its filters keep, with {@code prev_kv} removed unless asked.
     */
    List<Event> select(List<Event> events) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.getKv().getModRevision() < nextRev) {
                continue;
            }
            boolean put = e.getType() == Event.EventType.PUT;
            if ((put && noPut) || (!put && noDelete)) {
                continue;
            }
            if (!range.contains(e.getKv().getKey().toByteArray())) {
                continue;
            }
            out.add(!prevKv && e.hasPrevKv() ? e.toBuilder().clearPrevKv().build() : e);
        }
        return out;
    }
}
