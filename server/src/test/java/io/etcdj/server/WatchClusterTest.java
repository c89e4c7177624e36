package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchProgressRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches served by a follower of a three-member cluster while the leader takes the writes. */
class WatchClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aFollowersWatcherSeesTheLeadersWritesInOrderWithPrevKvAndCanResume() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 1) % 3;
            try (WatchClient w = new WatchClient(c.channel(follower))) {
                WatchResponse created = w.create(WatchCreateRequest.newBuilder().setKey(bytes("foo")).setPrevKv(true));
                assertThat(created.getCreated()).isTrue();
                long id = created.getWatchId();

                long r1 = c.kv(leader).put(put("foo", "1")).getHeader().getRevision();
                long r2 = c.kv(leader).put(put("foo", "2")).getHeader().getRevision();
                c.kv(leader).put(put("other", "x"));
                long r3 = c.kv(leader).deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("foo")).build())
                        .getHeader().getRevision();

                List<Event> events = w.events(id, 3);
                assertThat(events).extracting(Event::getType)
                        .containsExactly(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE);
                assertThat(events).extracting(e -> e.getKv().getModRevision()).containsExactly(r1, r2, r3);
                assertThat(events.get(0).hasPrevKv()).isFalse();
                assertThat(events.get(1).getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
                assertThat(events.get(2).getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
                WatchResponse last = w.lastEventResponse;
                assertThat(last.getHeader().getMemberId()).isEqualTo(c.member(follower).memberId());
                assertThat(last.getHeader().getClusterId()).isEqualTo(c.server(follower).clusterId());
                assertThat(last.getHeader().getRaftTerm()).isPositive();
                assertThat(last.getHeader().getRevision()).isGreaterThanOrEqualTo(r3);

                WatchResponse resumed = w.create(WatchCreateRequest.newBuilder().setKey(bytes("foo")).setStartRevision(r2));
                assertThat(w.events(resumed.getWatchId(), 2)).extracting(e -> e.getKv().getModRevision())
                        .containsExactly(r2, r3);

                w.send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                WatchResponse progress = w.next();
                assertThat(progress.getWatchId()).isEqualTo(-1);
                assertThat(progress.getEventsCount()).isZero();
                assertThat(progress.getHeader().getRevision()).isEqualTo(r3); // the last write

                w.send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
                WatchResponse canceled = w.next();
                assertThat(canceled.getCanceled()).isTrue();
                assertThat(canceled.getWatchId()).isEqualTo(id);
            }
        }
    }

    @Test
    void aWatchStartingBeforeTheCompactionIsCanceledWithTheCompactRevision() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 2) % 3;
            c.kv(leader).put(put("foo", "1"));
            long compactAt = c.kv(leader).put(put("foo", "2")).getHeader().getRevision();
            c.kv(leader).compact(CompactionRequest.newBuilder().setRevision(compactAt).build());
            EtcdCluster.awaitCondition(WAIT, "compaction applied on the follower", () -> c.kv(follower)
                    .range(RangeRequest.newBuilder().setKey(bytes("foo")).setSerializable(true)
                            .build()).getHeader().getRevision() >= compactAt);
            try (WatchClient w = new WatchClient(c.channel(follower))) {
                WatchResponse created = w.create(WatchCreateRequest.newBuilder().setKey(bytes("foo")).setStartRevision(1));
                assertThat(created.getCreated()).isTrue();
                WatchResponse canceled = w.next();
                assertThat(canceled.getWatchId()).isEqualTo(created.getWatchId());
                assertThat(canceled.getCanceled()).isTrue();
                assertThat(canceled.getCompactRevision()).isEqualTo(compactAt);
            }
        }
    }

    @Test
    void aRevisionLargerThanTheMessageLimitReachesAFragmentingWatcherInFragments() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 1) % 3;
            String big = "x".repeat(140 * 1024);
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            long lastPut = 0;
            for (int i = 0; i < 10; i++) {
                lastPut = c.kv(leader).put(put("big" + i, big)).getHeader().getRevision();
                txn.addSuccess(RequestOp.newBuilder().setRequestPut(put("big" + i, big)));
            }
            try (WatchClient w = new WatchClient(c.channel(follower))) {
                // from the txn's revision on: the follower may not have applied the puts yet
                long id = w.create(WatchCreateRequest.newBuilder().setKey(bytes("big")).setRangeEnd(bytes("bih"))
                        .setPrevKv(true).setFragment(true).setStartRevision(lastPut + 1)).getWatchId();
                long rev = c.kv(leader).txn(txn.build()).getHeader().getRevision(); // ~2.8 MB of events with prev_kv
                List<WatchResponse> parts = new ArrayList<>();
                int events = 0;
                while (events < 10) {
                    WatchResponse r = w.next();
                    assertThat(r.getWatchId()).isEqualTo(id);
                    parts.add(r);
                    events += r.getEventsCount();
                }
                assertThat(parts).hasSizeGreaterThan(1);
                assertThat(parts.subList(0, parts.size() - 1)).allMatch(WatchResponse::getFragment);
                assertThat(parts.get(parts.size() - 1).getFragment()).isFalse();
                assertThat(parts).flatExtracting(WatchResponse::getEventsList)
                        .allMatch(e -> e.getKv().getModRevision() == rev && e.hasPrevKv());
            }
        }
    }

    /** A Watch call whose responses are collected in order. */
    private static final class WatchClient implements AutoCloseable {
        private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StreamObserver<WatchRequest> requests;
        WatchResponse lastEventResponse;

        WatchClient(ManagedChannel channel) {
            requests = WatchGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    received.add(r);
                }

                @Override
                public void onError(Throwable t) {
                    received.add(t);
                }

                @Override
                public void onCompleted() {
                }
            });
        }

        void send(WatchRequest r) {
            requests.onNext(r);
        }

        WatchResponse create(WatchCreateRequest.Builder create) throws InterruptedException {
            send(WatchRequest.newBuilder().setCreateRequest(create).build());
            return next();
        }

        WatchResponse next() throws InterruptedException {
            Object o = received.poll(10, TimeUnit.SECONDS);
            if (o instanceof Throwable t) {
                throw new AssertionError("watch failed", t);
            }
            assertThat(o).as("a watch response within 10 s").isNotNull();
            return (WatchResponse) o;
        }

        /** The next {@code n} events of watch {@code id} (other responses must not come between). */
        List<Event> events(long id, int n) throws InterruptedException {
            List<Event> out = new ArrayList<>();
            while (out.size() < n) {
                WatchResponse r = next();
                assertThat(r.getWatchId()).isEqualTo(id);
                assertThat(r.getEventsCount()).isPositive();
                out.addAll(r.getEventsList());
                lastEventResponse = r;
            }
            return out;
        }

        @Override
        public void close() {
            requests.onCompleted();
        }
    }

    private static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes(v)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
