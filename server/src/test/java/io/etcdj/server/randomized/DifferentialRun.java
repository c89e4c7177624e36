package io.etcdj.server.randomized;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One seeded run: the same random steps sent to the reference etcd and to our member, each answer
 * compared at once; the watches' events compared at barriers (every {@link #BARRIER_EVERY} steps,
 * before a compaction or a cancellation, and at the end), once both members have delivered what
 * the history (an all-keys watch opened first) says each watch must get. The first difference
 * fails the run with the seed, the step, the request and both answers.
 */
final class DifferentialRun {
    static final int BARRIER_EVERY = 50;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final long seed;
    private final int steps;
    private final Member reference;
    private final Member ours;
    private final KnownState known = new KnownState();
    private final RandomRequests requests;
    private final List<OpenWatch> watches = new ArrayList<>();
    private OpenWatch history;
    private int step;
    private Step current;

    DifferentialRun(long seed, int steps, Member reference, Member ours) {
        this.seed = seed;
        this.steps = steps;
        this.reference = reference;
        this.ours = ours;
        this.requests = new RandomRequests(new Random(seed), known);
    }

    void run() {
        current = new Step.OpenWatch(WatchCreateRequest.newBuilder().setKey(KeySpace.FROM_KEY)
                .setRangeEnd(KeySpace.FROM_KEY).build());
        history = inContext(() -> open(((Step.OpenWatch) current).request()));
        for (step = 1; step <= steps; step++) {
            known.watchFloor = watches.stream().mapToLong(OpenWatch::pastStart).min().orElse(Long.MAX_VALUE);
            current = requests.next(cancellable().size());
            inContext(() -> {
                take(current);
                if (step % BARRIER_EVERY == 0) {
                    barrier();
                }
                return null;
            });
        }
        current = null;
        inContext(() -> {
            barrier();
            return null;
        });
    }

    private void take(Step s) {
        if (s instanceof Step.Unary u) {
            if (u.request() instanceof CompactionRequest) {
                barrier(); // every watch caught up, so none is still replaying revisions about to go
            }
            unary(u.request());
        } else if (s instanceof Step.OpenWatch w) {
            open(w.request());
        } else if (s instanceof Step.CancelWatch c) {
            barrier(); // every event delivered: what the watch got before its cancellation is fixed
            List<OpenWatch> open = cancellable();
            OpenWatch w = open.get(c.nth() % open.size());
            w.cancelledWith(reference.watches.eventCount(w.id));
            reference.watches.cancel(w.id, WAIT);
            ours.watches.cancel(w.id, WAIT);
        }
    }

    private void unary(Message request) {
        Answer a = reference.call(request);
        Answer b = ours.call(request);
        if (request instanceof LeaseGrantRequest g && g.getID() == 0 && a.ok() && b.ok()) {
            ours.leaseIds.pair(((LeaseGrantResponse) a.response()).getID(), ((LeaseGrantResponse) b.response()).getID());
        }
        String expected = a.text(reference.leaseIds);
        String actual = b.text(ours.leaseIds);
        if (!expected.equals(actual)) {
            throw new AssertionError(Difference.describe("different answers", expected, actual));
        }
        if (a.ok()) {
            learn(request, a.response());
        }
    }

    /** What the reference's answer tells of the state: the newest revision, compactions, leases. */
    private void learn(Message request, Message response) {
        FieldDescriptor header = response.getDescriptorForType().findFieldByName("header");
        if (header != null) {
            known.sawRevision(((ResponseHeader) response.getField(header)).getRevision());
        }
        if (request instanceof CompactionRequest c) {
            known.compactRevision = c.getRevision();
        } else if (response instanceof LeaseGrantResponse g) {
            known.granted(g.getID());
        } else if (request instanceof LeaseRevokeRequest r) {
            known.revoked(r.getID());
        }
    }

    private OpenWatch open(WatchCreateRequest request) {
        WatchResponse a = reference.watches.create(request, WAIT);
        WatchResponse b = ours.watches.create(request, WAIT);
        String expected = Masked.text(a);
        String actual = Masked.text(b);
        if (!expected.equals(actual)) {
            throw new AssertionError(Difference.describe("different created responses", expected, actual));
        }
        known.sawRevision(a.getHeader().getRevision());
        OpenWatch w = new OpenWatch(request, a, known.compactRevision);
        watches.add(w);
        return w;
    }

    /** The watches the test may cancel but the history watch (never cancelled), oldest first. */
    private List<OpenWatch> cancellable() {
        return watches.stream().filter(w -> w != history && w.cancellable()).toList();
    }

    /**
     * Waits until the history has every revision, then until each watch on both members has
     * received what it must (or was cancelled), and compares what each received.
     */
    private void barrier() {
        Await.until(WAIT, "the reference's history watch to reach revision " + known.revision,
                () -> lastRevision(reference.watches.events(history.id)) >= known.revision);
        List<Event> all = reference.watches.events(history.id);
        for (OpenWatch w : watches) {
            int expected = w.expectedEvents(all);
            String late = null;
            try {
                Await.until(WAIT, expected + " events on watch " + w.id, () -> delivered(reference, w, expected)
                        && delivered(ours, w, expected));
            } catch (AssertionError e) {
                late = e.getMessage();
            }
            List<String> a = reference.watches.lines(w.id);
            List<String> b = ours.watches.lines(w.id);
            if (!a.equals(b) || late != null) {
                String what = (a.equals(b) ? "neither member delivered what the history says (" + late + ")"
                        : "different watch responses") + " on watch " + w.id + " {" + w.request.toString().trim() + "}";
                throw new AssertionError(Difference.describe(what, String.join("\n", a), String.join("\n", b)));
            }
        }
    }

    private static boolean delivered(Member m, OpenWatch w, int expected) {
        return m.watches.isCancelled(w.id) || !w.mustBeCancelled() && m.watches.eventCount(w.id) >= expected;
    }

    private static long lastRevision(List<Event> events) {
        return events.isEmpty() ? 1 : events.get(events.size() - 1).getKv().getModRevision();
    }

    private interface Action<T> {
        T run();
    }

    /** Runs {@code action}; a failure is rethrown with the seed, the step and its request. */
    private <T> T inContext(Action<T> action) {
        try {
            return action.run();
        } catch (AssertionError | RuntimeException e) {
            AssertionError failure = new AssertionError("randomized KV differential run failed: seed " + seed
                    + ", step " + step + " of " + steps + " (replay: -Drandkv.seed=" + seed + " -Drandkv.steps=" + steps
                    + ")\nstep: " + (current == null ? "the final comparison of the watches" : current) + "\n"
                    + e.getMessage(), e);
            throw failure;
        }
    }
}
