package io.etcdj.mvcc.watch;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

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
    /**
     * The watched key as the events carry it and the synced group indexes it, for a single-key watch;
     * null for a range.
     */
    final ByteString singleKey;

    long nextRev;
    boolean synced;
    boolean canceled;
    /** Set when a response with events was queued since the last periodic progress tick. */
    boolean sentSinceTick;
    /** The last {@link WatchableStore#committed} call that served this watcher (a revision's dedupe). */
    long servedCommit = -1;

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
        this.singleKey = range.isSingleKey() ? ByteString.copyFrom(range.key()) : null;
    }

    /**
     * The events this watcher should receive out of {@code events} (in order): those with revision
     * {@code >= nextRev} in its range that its filters keep, with {@code prev_kv} removed unless asked.
     * When it keeps every event unchanged (a revision's only event, for most watchers) the answer is
     * {@code events} itself, shared rather than copied.
     */
    List<Event> select(List<Event> events) {
        List<Event> out = null; // stays null while every event so far is kept as it is
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            Event kept = keep(e);
            if (out == null && kept != e) {
                out = new ArrayList<>(events.subList(0, i));
            }
            if (out != null && kept != null) {
                out.add(kept);
            }
        }
        return out == null ? events : out;
    }

    /** {@code e} as this watcher receives it, or null if it does not. */
    private Event keep(Event e) {
        if (e.getKv().getModRevision() < nextRev) {
            return null;
        }
        boolean put = e.getType() == Event.EventType.PUT;
        if ((put && noPut) || (!put && noDelete)) {
            return null;
        }
        ByteString key = e.getKv().getKey();
        if (singleKey != null ? !singleKey.equals(key) : !range.contains(key.toByteArray())) {
            return null;
        }
        return !prevKv && e.hasPrevKv() ? e.toBuilder().clearPrevKv().build() : e;
    }
}
