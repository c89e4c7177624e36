package io.etcdj.server.randomized;

import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.testsupport.Await;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One watch stream on a member, carrying every watch the test opens there, and what it received
 * for each watch ID as lines of text. Compared per watch: the events, one line each, in order (the
 * way they are grouped into responses, and those responses' header revision, depend on when the
 * member's background sync ran, so they are not compared); the created and cancelled responses in
 * full (masked), but for the header revision of a cancellation for compaction, sent whenever the
 * sync runs. Progress notifications (none is due within a run: the interval is etcd's 10 minutes)
 * are left out.
 */
final class WatchStream implements AutoCloseable {
    private final LeaseIds leaseIds;
    private final StreamObserver<WatchRequest> requests;
    private final List<WatchResponse> created = new ArrayList<>();
    private final Map<Long, List<String>> lines = new HashMap<>();
    private final Map<Long, List<Event>> events = new HashMap<>();
    private final Map<Long, Integer> cancellations = new HashMap<>();
    private Throwable ended;

    WatchStream(ManagedChannel channel, LeaseIds leaseIds) {
        this.leaseIds = leaseIds;
        this.requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                received(r);
            }

            @Override
            public void onError(Throwable t) {
                ended(t);
            }

            @Override
            public void onCompleted() {
                ended(new IllegalStateException("the member ended the watch stream"));
            }
        });
    }

    /** Opens a watch and returns the member's created response (which says its ID). */
    WatchResponse create(WatchCreateRequest request, Duration timeout) {
        int before;
        synchronized (this) {
            before = created.size();
        }
        send(WatchRequest.newBuilder().setCreateRequest(request).build());
        Await.until(timeout, "the created response to " + request, () -> createdCount() > before);
        synchronized (this) {
            return created.get(before);
        }
    }

    /**
     * Cancels watch {@code id} and waits until a cancellation arrives for it (another one if the
     * member already cancelled it for compaction: etcd answers that cancel too).
     */
    void cancel(long id, Duration timeout) {
        int before = cancellations(id);
        send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
        Await.until(timeout, "the cancellation of watch " + id, () -> cancellations(id) > before);
    }

    private synchronized void send(WatchRequest request) {
        if (ended != null) {
            throw new AssertionError("the watch stream ended: " + ended, ended);
        }
        requests.onNext(request);
    }

    private synchronized void received(WatchResponse response) {
        WatchResponse r = leaseIds.toReference(response);
        long id = r.getWatchId();
        List<String> to = lines.computeIfAbsent(id, k -> new ArrayList<>());
        if (r.getEventsCount() > 0) {
            for (Event e : r.getEventsList()) {
                to.add("event " + Masked.shortText(e));
            }
            events.computeIfAbsent(id, k -> new ArrayList<>()).addAll(r.getEventsList());
            return;
        }
        if (r.getCreated()) {
            created.add(r);
        } else if (!r.getCanceled()) {
            return; // a progress notification: not compared
        }
        if (r.getCanceled()) {
            cancellations.merge(id, 1, Integer::sum);
        }
        WatchResponse shown = r.getCanceled() && !r.getCreated() && r.getCompactRevision() != 0
                ? r.toBuilder().setHeader(r.getHeader().toBuilder().clearRevision()).build() : r;
        to.add(Masked.shortText(shown));
    }

    private synchronized void ended(Throwable t) {
        ended = t;
    }

    private synchronized int createdCount() {
        if (ended != null) {
            throw new AssertionError("the watch stream ended: " + ended, ended);
        }
        return created.size();
    }

    synchronized boolean isCancelled(long id) {
        return cancellations.containsKey(id);
    }

    private synchronized int cancellations(long id) {
        return cancellations.getOrDefault(id, 0);
    }

    /** What watch {@code id} received so far, one line per event or created/cancelled response. */
    synchronized List<String> lines(long id) {
        return List.copyOf(lines.getOrDefault(id, List.of()));
    }

    /** The events watch {@code id} received so far. */
    synchronized List<Event> events(long id) {
        return List.copyOf(events.getOrDefault(id, List.of()));
    }

    synchronized int eventCount(long id) {
        return events.getOrDefault(id, List.of()).size();
    }

    @Override
    public synchronized void close() {
        if (ended == null) {
            ended = new IllegalStateException("closed by the test");
            requests.onCompleted();
        }
    }
}
