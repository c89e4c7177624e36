package io.etcdj.server;

import static io.etcdj.server.RecipeCalls.bytes;
import static io.etcdj.server.RecipeCalls.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.api.v3lockpb.UnlockResponse;
import io.etcdj.server.RecipeCalls.Pending;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v3lockpb.Lock on a single member: who gets the lock when, and what is left behind. */
class LockScenarioTest {
    @TempDir
    Path dir;

    private EtcdCluster cluster;
    private ManagedChannel channel;
    private RecipeCalls calls;

    @BeforeEach
    void start() {
        cluster = EtcdCluster.start(dir, 1);
        cluster.awaitLeader(RecipeCalls.WAIT);
        channel = cluster.channel(0);
        calls = new RecipeCalls(channel);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theSecondContenderGetsTheLockOnlyAfterTheFirstUnlocks() throws Exception {
        long a = calls.grant(60);
        long b = calls.grant(60);

        LockResponse first = lock("mutex", a).await();
        assertThat(first.getKey().toStringUtf8()).isEqualTo("mutex/" + hex(a));

        Pending<LockResponse> second = lock("mutex", b);
        calls.awaitKeyCount("mutex/", 2); // b is queued behind a
        assertThat(second.reply()).isNotDone();

        UnlockResponse unlocked = unlock(first.getKey().toStringUtf8());
        LockResponse granted = second.await();
        assertThat(granted.getKey().toStringUtf8()).isEqualTo("mutex/" + hex(b));
        assertThat(granted.getHeader().getRevision()).isGreaterThanOrEqualTo(unlocked.getHeader().getRevision());
        assertThat(calls.keysUnder("mutex/")).extracting(kv -> kv.getKey().toStringUtf8())
                .containsExactly("mutex/" + hex(b));
    }

    @Test
    void revokingTheHoldersLeaseHandsTheLockToTheNextInLine() throws Exception {
        long a = calls.grant(60);
        long b = calls.grant(60);
        long c = calls.grant(60);
        lock("mutex", a).await();
        Pending<LockResponse> second = lock("mutex", b);
        calls.awaitKeyCount("mutex/", 2);
        Pending<LockResponse> third = lock("mutex", c);
        calls.awaitKeyCount("mutex/", 3);

        calls.revoke(a);
        assertThat(second.await().getKey().toStringUtf8()).isEqualTo("mutex/" + hex(b));
        assertThat(third.reply()).isNotDone();

        calls.revoke(b);
        assertThat(third.await().getKey().toStringUtf8()).isEqualTo("mutex/" + hex(c));
    }

    @Test
    void aCancelledWaiterLeavesNoKeyBehindAndDoesNotBlockTheNext() throws Exception {
        long a = calls.grant(60);
        long b = calls.grant(60);
        long c = calls.grant(60);
        LockResponse held = lock("mutex", a).await();
        Pending<LockResponse> abandoned = lock("mutex", b);
        calls.awaitKeyCount("mutex/", 2);

        abandoned.cancel();
        calls.awaitKeyCount("mutex/", 1);
        assertThat(calls.keysUnder("mutex/")).extracting(KeyValue::getKey).containsExactly(held.getKey());

        Pending<LockResponse> next = lock("mutex", c);
        calls.awaitKeyCount("mutex/", 2);
        unlock(held.getKey().toStringUtf8());
        assertThat(next.await().getKey().toStringUtf8()).isEqualTo("mutex/" + hex(c));
    }

    @Test
    void aLeaseThatHoldsTheLockGetsItAgainAtOnce() throws Exception {
        long a = calls.grant(60);
        LockResponse first = lock("mutex", a).await();
        LockResponse again = lock("mutex", a).await();
        assertThat(again.getKey()).isEqualTo(first.getKey());
        assertThat(again.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision()); // nothing written
    }

    @Test
    void withoutALeaseTheLockGetsAFreshOneMinuteLease() throws Exception {
        LockResponse r = lock("mutex", 0).await();
        KeyValue kv = calls.keysUnder("mutex/").get(0);
        assertThat(kv.getLease()).isNotZero();
        assertThat(r.getKey().toStringUtf8()).isEqualTo("mutex/" + hex(kv.getLease()));
        long granted = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(kv.getLease()).build()).getGrantedTTL();
        assertThat(granted).isEqualTo(60);
    }

    @Test
    void errorsCarryEtcdsTextsWithCodeUnknown() throws Exception {
        assertThat(RecipeCalls.failure(lock("mutex", 12345).reply()))
                .isEqualTo("UNKNOWN: etcdserver: requested lease not found");
        assertThat(calls.keysUnder("mutex/")).isEmpty();
        assertThat(RecipeCalls.failure(RecipeCalls.<UnlockResponse>start(o -> LockGrpc.newStub(channel)
                .unlock(UnlockRequest.getDefaultInstance(), o)).reply()))
                .isEqualTo("UNKNOWN: etcdserver: key is not provided");
        // unlocking a key that is not there is no error
        assertThat(unlock("mutex/abc").getHeader().getRevision()).isPositive();
    }

    private Pending<LockResponse> lock(String name, long lease) {
        return RecipeCalls.start(o -> LockGrpc.newStub(channel)
                .lock(LockRequest.newBuilder().setName(bytes(name)).setLease(lease).build(), o));
    }

    private UnlockResponse unlock(String key) {
        return LockGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .unlock(UnlockRequest.newBuilder().setKey(bytes(key)).build());
    }
}
