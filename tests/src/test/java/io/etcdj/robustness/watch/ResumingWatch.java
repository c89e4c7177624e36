package io.etcdj.robustness.watch;

import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One logical watch on a {@link WatchedRange} that is broken again and again. Each Watch stream is
 * a {@link Segment}; when a segment ends (broken by the client, canceled or failed by the server)
 * the next one resumes from the last delivered event's revision + 1, on whichever member the
 * caller picks — or, when the server answers that this revision is compacted, from the compact
 * revision it names: the events in between are gone for good, and nothing else may be skipped.
 *
 * <p>Invariant: every revision in the range below {@link #next()} has been delivered or was skipped
 * by a compacted response; no segment may deliver an event below the revision it started from.
 *
 * <p>Checked as responses arrive: no event below {@link #next()} (no event at or below a revision
 * the watch resumed after), events in revision order and inside the range, a compacted response
 * always canceled and only for a start revision below its compact revision, and no event at all
 * from a segment whose start revision was compacted before it opened (known from a compaction
 * acknowledged before a linearizable read on the segment's member): that one must get the
 * compacted response. What was delivered is kept per segment for {@link ResumedWatchVerifier}.
 */
public final class ResumingWatch {

    /** An event as delivered, with the highest compaction requested from the cluster when it arrived. */
    public record Delivered(Event event, long compactionRequestedAtReceipt) {
    }

    /** What one segment delivered, as of the moment it was asked for. */
    public record Segment(String member, long start, long compactRevision, List<Delivered> events) {
    }

    /** One Watch stream of the logical watch. */
    private static final class Stream {
        final String member;
        final long start;
        /** A compaction acknowledged before the segment opened (and applied on its member); 0 if none. */
        final long knownCompacted;
        final long openedNanos = System.nanoTime();
        final List<Delivered> events = new ArrayList<>();
        long compactRevision; // from a compacted response; 0 if none
        long watchId = -1;   // from the created response
        ClientCallStreamObserver<WatchRequest> requests;

        Stream(String member, long start, long knownCompacted) {
            this.member = member;
            this.start = start;
            this.knownCompacted = knownCompacted;
        }

        /** The server must answer this segment with a compacted response, and no event. */
        boolean mustBeCompacted() {
            return start < knownCompacted;
        }
    }

    private final int id;
    private final WatchedRange range;
    private final boolean prevKv;
    private final LongSupplier compactionRequested;
    private final List<Stream> segments = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private long next;
    private Stream current; // null between segments
    private int compactedResponses;

    /**
     * @param compactionRequested the highest revision any compaction was requested at so far: a
     *                            prev_kv older than it may be gone
     */
    public ResumingWatch(int id, WatchedRange range, boolean prevKv, long startRevision, LongSupplier compactionRequested) {
        this.id = id;
        this.range = range;
        this.prevKv = prevKv;
        this.next = startRevision;
        this.compactionRequested = compactionRequested;
    }

    public WatchedRange range() {
        return range;
    }

    public boolean prevKv() {
        return prevKv;
    }

    public synchronized long next() {
        return next;
    }

    /** True between segments: the caller should {@link #open} the next one. */
    public synchronized boolean idle() {
        return current == null;
    }

    /** A snapshot of every segment so far. */
    public synchronized List<Segment> segments() {
        return segments.stream().map(s -> new Segment(s.member, s.start, s.compactRevision, List.copyOf(s.events))).toList();
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized int compactedResponses() {
        return compactedResponses;
    }

    /** The current segment must get a compacted response and has waited longer than {@code nanos} for it. */
    public synchronized boolean compactedResponseOverdue(long nanos) {
        return current != null && current.mustBeCompacted() && current.compactRevision == 0
                && System.nanoTime() - current.openedNanos > nanos;
    }

    /** The current segment must get a compacted response first: breaking it now would hide whether it does. */
    public synchronized boolean awaitingCompactedResponse() {
        return current != null && current.mustBeCompacted() && current.compactRevision == 0;
    }

    /**
     * Opens the next segment on {@code channel} from {@link #next()}.
     *
     * @param knownCompacted a compaction acknowledged before a linearizable read on this member
     *                       that completed before this call (0: none known)
     */
    public synchronized void open(ManagedChannel channel, String member, long knownCompacted) {
        if (current != null) {
            throw new IllegalStateException("watch " + id + " already has an open segment");
        }
        Stream s = new Stream(member, next, knownCompacted);
        segments.add(s);
        current = s;
        WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                s.requests = requests;
            }

            @Override
            public void onNext(WatchResponse r) {
                receive(s, r);
            }

            @Override
            public void onError(Throwable t) {
                ended(s);
            }

            @Override
            public void onCompleted() {
                ended(s);
            }
        });
        s.requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(range.key()).setRangeEnd(range.rangeEnd()).setStartRevision(s.start).setPrevKv(prevKv)).build());
    }

    /**
     * Ends the current segment from the client side: by a WatchCancelRequest and a half-close (as a
     * client canceling one watch), or by canceling the whole stream (as a client going away).
     * Whatever the server still sends on it is not seen.
     */
    public synchronized void breakSegment(boolean withCancelRequest) {
        Stream s = current;
        if (s == null) {
            return;
        }
        current = null;
        if (s.requests == null) {
            return; // a test's segment
        }
        if (withCancelRequest && s.watchId >= 0) {
            try {
                s.requests.onNext(WatchRequest.newBuilder()
                        .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(s.watchId)).build());
                s.requests.onCompleted();
                return;
            } catch (RuntimeException alreadyBroken) {
                // fall through to cancel
            }
        }
        s.requests.cancel("broken by the scenario", null);
    }

    /** Ends the current segment for good (the watch is retired or the run is over). */
    public synchronized void close() {
        breakSegment(false);
    }

    /** Gives up on a segment that never got the compacted response it owed. */
    public synchronized void abandonOverdue() {
        Stream s = current;
        if (s != null) {
            violate("segment from revision " + s.start + " on " + s.member + " got no compacted response although "
                    + s.knownCompacted + " was compacted before it opened");
            breakSegment(false);
        }
    }

    private synchronized void receive(Stream s, WatchResponse r) {
        if (s != current) {
            return; // abandoned by the client: what comes after is not delivered to it
        }
        if (r.getCreated()) {
            s.watchId = r.getWatchId();
        }
        long compaction = compactionRequested.getAsLong();
        long last = 0; // the previous event's revision in this response
        for (Event e : r.getEventsList()) {
            long rev = e.getKv().getModRevision();
            if (s.mustBeCompacted()) {
                violate("event " + describe(e) + " on a watch from revision " + s.start + ", below the compaction at "
                        + s.knownCompacted + " acknowledged before it opened on " + s.member
                        + ": expected the compacted response");
            }
            if (rev < next) {
                violate("event " + describe(e) + " below revision " + next + " the segment on " + s.member
                        + " started from (or already delivered)");
            }
            if (rev < last) {
                violate("event " + describe(e) + " after revision " + last + " in the same response");
            }
            if (!range.contains(e.getKv().getKey())) {
                violate("event " + describe(e) + " outside the watched range " + range);
            }
            last = Math.max(last, rev);
            s.events.add(new Delivered(e, compaction));
        }
        if (r.getEventsCount() > 0) {
            next = Math.max(next, last + 1);
        }
        if (r.getCompactRevision() != 0) {
            compactedResponses++;
            long c = r.getCompactRevision();
            if (c <= next) {
                violate("compacted response at " + c + " for a watch asking from " + next + ", which is not below it ("
                        + s.member + ")");
            }
            if (!r.getCanceled()) {
                violate("compacted response at " + c + " without canceled set (" + s.member + ")");
            }
            s.compactRevision = c;
            next = Math.max(next, c);
            endCurrent(s);
        } else if (r.getCanceled()) {
            endCurrent(s);
        }
    }

    private synchronized void ended(Stream s) {
        if (s == current) {
            current = null;
        }
    }

    private void endCurrent(Stream s) {
        current = null;
        if (s.requests != null) {
            s.requests.cancel("segment ended by the server", null);
        }
    }

    /** For checker tests: opens a segment with no stream behind it; responses come from {@link #receiveForTest}. */
    synchronized void openForTest(String member, long knownCompacted) {
        current = new Stream(member, next, knownCompacted);
        segments.add(current);
    }

    /** For checker tests: a response on the current segment. */
    synchronized void receiveForTest(WatchResponse r) {
        receive(current, r);
    }

    private void violate(String what) {
        if (violations.size() < 20) {
            violations.add("watch " + id + " (" + range + (prevKv ? ", prev_kv" : "") + "): " + what);
        }
    }

    static String describe(Event e) {
        return e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@" + e.getKv().getModRevision();
    }

    @Override
    public String toString() {
        return "watch " + id + " (" + range + (prevKv ? ", prev_kv" : "") + ")";
    }
}
