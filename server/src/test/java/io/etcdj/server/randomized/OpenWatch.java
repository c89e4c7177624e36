package io.etcdj.server.randomized;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.util.List;

/**
 * A watch the test opened on both members: what it asked for, the ID both gave it and the revision
 * it was created at. Which events it must receive follows from the history: every event from its
 * start revision (or the one after its creation) on a key in its range, of a type it does not
 * filter out; a watch from a compacted revision is instead cancelled by the member.
 */
final class OpenWatch {
    final WatchCreateRequest request;
    final long id;
    private final long createdRevision;
    /** Its start revision was compacted when it was created: the member must cancel it. */
    private final boolean compacted;
    /** The member refused it in its created response. */
    private final boolean refused;
    /** Once cancelled by the test, the number of events it had (it must get no more). */
    private int eventsAtCancel = -1;

    OpenWatch(WatchCreateRequest request, WatchResponse created, long compactRevision) {
        this.request = request;
        this.id = created.getWatchId();
        this.createdRevision = created.getHeader().getRevision();
        this.refused = created.getCanceled();
        // etcd's compacted revision is -1 before the first compaction: a start below it is compacted too
        long compactedTo = compactRevision > 0 ? compactRevision : -1;
        this.compacted = request.getStartRevision() != 0 && request.getStartRevision() < compactedTo;
    }

    /** The start revision of a watch that began in the past (it replays history), else {@link Long#MAX_VALUE}. */
    long pastStart() {
        long start = request.getStartRevision();
        return start != 0 && start <= createdRevision && !compacted && !refused && !cancelledByTest()
                ? start : Long.MAX_VALUE;
    }

    /** Whether the member must cancel it (its start revision was compacted), whatever it received. */
    boolean mustBeCancelled() {
        return compacted;
    }

    /**
     * Whether the test may still cancel it: open, or cancelled by the member for compaction (etcd
     * answers the client's cancel of such a watch; the barrier before a cancel waits for the
     * compaction notice, so the two never race). Known without asking the members, so that what the
     * generator is told, and hence a seed's steps, never depend on when their background work ran.
     */
    boolean cancellable() {
        return !cancelledByTest() && !refused;
    }

    void cancelledWith(int events) {
        eventsAtCancel = events;
    }

    boolean cancelledByTest() {
        return eventsAtCancel >= 0;
    }

    /** How many of {@code history}'s events (every event of every revision, in order) this watch must have received. */
    int expectedEvents(List<Event> history) {
        if (eventsAtCancel >= 0) {
            return eventsAtCancel;
        }
        // 0 is "from the next revision"; a negative start revision is a past one like any other
        long from = request.getStartRevision() != 0 ? request.getStartRevision() : createdRevision + 1;
        int n = 0;
        for (Event e : history) {
            if (e.getKv().getModRevision() >= from && wants(e)) {
                n++;
            }
        }
        return n;
    }

    private boolean wants(Event e) {
        // etcd watches the smallest key, "\0", when the key is empty
        ByteString key = request.getKey().isEmpty() ? ByteString.copyFrom(new byte[] {0}) : request.getKey();
        if (!KeySpace.inRange(e.getKv().getKey(), key, request.getRangeEnd())) {
            return false;
        }
        WatchCreateRequest.FilterType type = e.getType() == Event.EventType.PUT
                ? WatchCreateRequest.FilterType.NOPUT : WatchCreateRequest.FilterType.NODELETE;
        return !request.getFiltersList().contains(type);
    }
}
