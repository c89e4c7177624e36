package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
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
            StreamObserver<WatchRequest> requests = WatchGrpc.newStub(c.channel(0)).watch(new StreamObserver<>() {
                @Override public void onNext(WatchResponse r) { responses.add(r); }
                @Override public void onError(Throwable t) { }
                @Override public void onCompleted() { }
            });
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(
                    WatchCreateRequest.newBuilder().setKey(key("idle")).setProgressNotify(true)).build());
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
}
