package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.testsupport.Await;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --experimental-watch-progress-notify-interval: an idle progress_notify watch hears the revision that often. */
class WatchProgressIntervalTest {
    @TempDir
    Path dir;

    @Test
    void anIdleWatchGetsAProgressNotificationEveryInterval() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10_000, 5_000,
                s -> s.withWatchProgressInterval(Duration.ofMillis(300)))) {
            c.awaitLeader(Duration.ofSeconds(20));
            LinkedBlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = idleProgressWatch(c, responses);
            WatchResponse created = responses.poll(10, TimeUnit.SECONDS);
            assertThat(created).isNotNull();
            assertThat(created.getCreated()).isTrue();
            for (int i = 0; i < 2; i++) {
                WatchResponse progress = responses.poll(5, TimeUnit.SECONDS);
                assertThat(progress).as("progress notification %d", i).isNotNull();
                assertThat(progress.getEventsList()).isEmpty();
                assertThat(progress.getWatchId()).isEqualTo(created.getWatchId());
                assertThat(progress.getHeader().getRevision()).isEqualTo(created.getHeader().getRevision());
            }
            requests.onCompleted();
        }
    }

    /**
     * etcd 3.4 ticks each stream from its own opening: a stream opened half an interval after
     * another's tick hears its first progress a whole interval later, not at the other's next tick
     * (found by RandomGatewayDifferentialTest, seeds 4 to 15 in one run: our server-wide ticker
     * notified a fresh /v3/watch stream).
     */
    @Test
    void eachStreamCountsTheIntervalFromItsOwnOpening() throws Exception {
        Duration interval = Duration.ofSeconds(2);
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withWatchProgressInterval(interval))) {
            c.awaitLeader(Duration.ofSeconds(20));
            LinkedBlockingQueue<WatchResponse> first = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> firstRequests = idleProgressWatch(c, first);
            assertThat(first.poll(10, TimeUnit.SECONDS)).as("created").isNotNull();
            assertThat(first.poll(10, TimeUnit.SECONDS)).as("the first stream's first progress").isNotNull();
            long ticked = System.nanoTime();
            // time passing is what this test is about: half an interval after that tick
            Await.until(interval, "half an interval", () -> System.nanoTime() - ticked >= interval.toNanos() / 2);

            long opened = System.nanoTime();
            LinkedBlockingQueue<WatchResponse> second = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> secondRequests = idleProgressWatch(c, second);
            assertThat(second.poll(10, TimeUnit.SECONDS)).as("created").isNotNull();
            assertThat(second.poll(10, TimeUnit.SECONDS)).as("the second stream's first progress").isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(interval.multipliedBy(3).dividedBy(4));
            firstRequests.onCompleted();
            secondRequests.onCompleted();
        }
    }

    /** A stream with one progress_notify watch on a key nobody writes; its answers go to {@code responses}. */
    private static StreamObserver<WatchRequest> idleProgressWatch(EtcdCluster c, LinkedBlockingQueue<WatchResponse> responses) {
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(c.channel(0)).watch(new StreamObserver<>() {
            @Override public void onNext(WatchResponse r) { responses.add(r); }
            @Override public void onError(Throwable t) { }
            @Override public void onCompleted() { }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(
                WatchCreateRequest.newBuilder().setKey(key("idle")).setProgressNotify(true)).build());
        return requests;
    }
}
