package io.etcdj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.testsupport.ReferenceEtcd;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our stubs and messages against a real etcd (the installed reference binary; the test fails
 * where there is none): the method names resolve, and every response decodes with no field left
 * unrecognised. This also covers messages jetcd does not define (LeaseLeases, the lease
 * compare target, client-chosen watch IDs, MemberList's linearizable flag).
 */
class ReferenceEtcdWireTest {

    private static ReferenceEtcd etcd;
    private static ManagedChannel channel;

    @BeforeAll
    static void startEtcd() throws Exception {
        // Never skipped: test-all installs the reference etcd, and a missing one is a broken setup.
        etcd = ReferenceEtcd.builder().name("reference").start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", etcd.clientPort()).usePlaintext().build();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void kvPutRangeTxnAndDeleteDecodeCompletely() {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        ByteString key = ByteString.copyFromUtf8("/wire/kv/a");

        fullyKnown(kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("1")).build()));
        var put = fullyKnown(kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("2")).setPrevKv(true).build()));
        assertThat(put.getPrevKv().getValue().toStringUtf8()).isEqualTo("1");

        var range = fullyKnown(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/wire/kv/"))
                .setRangeEnd(ByteString.copyFromUtf8("/wire/kv0")).setSortOrder(RangeRequest.SortOrder.DESCEND).build()));
        assertThat(range.getKvsList()).singleElement().satisfies(kvPair -> {
            assertThat(kvPair.getValue().toStringUtf8()).isEqualTo("2");
            assertThat(kvPair.getVersion()).isEqualTo(2);
        });
        assertThat(range.getHeader().getClusterId()).isNotZero();

        var txn = fullyKnown(kv.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.LEASE)
                        .setResult(Compare.CompareResult.EQUAL).setLease(0))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build()));
        assertThat(txn.getSucceeded()).isTrue();
        assertThat(txn.getResponses(0).getResponseRange().getKvs(0).getKey()).isEqualTo(key);

        var deleted = fullyKnown(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).setPrevKv(true).build()));
        assertThat(deleted.getDeleted()).isEqualTo(1);
        assertThat(deleted.getPrevKvs(0).getValue().toStringUtf8()).isEqualTo("2");
    }

    @Test
    void leasesAreListedAndInspected() {
        LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        var granted = fullyKnown(lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()));
        KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/wire/leased")).setLease(granted.getID()).build());

        var leases = fullyKnown(lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance()));
        assertThat(leases.getLeasesList()).extracting(LeaseStatus::getID).contains(granted.getID());

        var ttl = fullyKnown(lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(granted.getID()).setKeys(true).build()));
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getKeysList()).containsExactly(ByteString.copyFromUtf8("/wire/leased"));
    }

    @Test
    void clusterAndMaintenanceFiguresDecodeCompletely() {
        var members = fullyKnown(ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .memberList(MemberListRequest.newBuilder().setLinearizable(true).build()));
        assertThat(members.getMembersList()).singleElement().satisfies(member -> {
            assertThat(member.getName()).isEqualTo("reference");
            assertThat(member.getIsLearner()).isFalse();
            assertThat(member.getClientURLsList()).containsExactly("http://127.0.0.1:" + etcd.clientPort());
        });

        var maintenance = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        StatusResponse status = fullyKnown(maintenance.status(StatusRequest.getDefaultInstance()));
        assertThat(status.getVersion()).isNotEmpty();
        assertThat(status.getDbSize()).isPositive();
        assertThat(status.getDbSizeInUse()).isPositive();
        assertThat(status.getRaftAppliedIndex()).isPositive();
        assertThat(status.getLeader()).isEqualTo(status.getHeader().getMemberId());

        assertThat(fullyKnown(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build()))
                .getAlarmsList()).isEmpty();
        fullyKnown(maintenance.hashKV(HashKVRequest.getDefaultInstance()));
    }

    @Test
    void aWatchWithAClientChosenIdReportsAPutWithItsPreviousValue() throws Exception {
        BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override public void onNext(WatchResponse response) {
                responses.add(response);
            }
            @Override public void onError(Throwable t) {
            }
            @Override public void onCompleted() {
            }
        });
        try {
            ByteString key = ByteString.copyFromUtf8("/wire/watched");
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(
                    WatchCreateRequest.newBuilder().setKey(key).setPrevKv(true).setWatchId(7)).build());
            WatchResponse created = fullyKnown(responses.poll(10, TimeUnit.SECONDS));
            assertThat(created.getCreated()).isTrue();
            assertThat(created.getWatchId()).isEqualTo(7);

            var kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("old")).build());
            kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("new")).build());

            List<Event> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < 2 && System.nanoTime() < deadline) {
                WatchResponse next = responses.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null) {
                    events.addAll(fullyKnown(next).getEventsList());
                }
            }
            assertThat(events).hasSize(2);
            assertThat(events.get(1).getType()).isEqualTo(Event.EventType.PUT);
            assertThat(events.get(1).getPrevKv().getValue().toStringUtf8()).isEqualTo("old");
        } finally {
            requests.onCompleted();
        }
    }

    @Test
    void lockAndElectionServicesAnswerOnTheClientPort() {
        long lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();

        var lock = LockGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        var locked = fullyKnown(lock.lock(LockRequest.newBuilder().setName(ByteString.copyFromUtf8("/wire/lock")).setLease(lease).build()));
        assertThat(locked.getKey().toStringUtf8()).startsWith("/wire/lock/");
        fullyKnown(lock.unlock(UnlockRequest.newBuilder().setKey(locked.getKey()).build()));

        var election = ElectionGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        ByteString name = ByteString.copyFromUtf8("/wire/election");
        LeaderKey leader = fullyKnown(election.campaign(CampaignRequest.newBuilder().setName(name).setLease(lease)
                .setValue(ByteString.copyFromUtf8("me")).build())).getLeader();
        assertThat(leader.getLease()).isEqualTo(lease);
        var current = fullyKnown(election.leader(LeaderRequest.newBuilder().setName(name).build()));
        assertThat(current.getKv().getValue().toStringUtf8()).isEqualTo("me");
        fullyKnown(election.resign(ResignRequest.newBuilder().setLeader(leader).build()));
    }

    /** {@code response}, after checking that nothing in it, at any depth, was unrecognised. */
    private static <M extends Message> M fullyKnown(M response) {
        assertThat(response).as("response").isNotNull();
        assertThat(unknownFieldPaths(response, response.getDescriptorForType().getName()))
                .as("unrecognised fields in %s", response.getDescriptorForType().getFullName()).isEmpty();
        return response;
    }

    private static List<String> unknownFieldPaths(Message message, String path) {
        List<String> found = new ArrayList<>();
        if (!message.getUnknownFields().asMap().isEmpty()) {
            found.add(path + " " + message.getUnknownFields().asMap().keySet());
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            List<?> values = field.getKey().isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
            for (Object value : values) {
                if (value instanceof Message nested) {
                    found.addAll(unknownFieldPaths(nested, path + "." + field.getKey().getName()));
                }
            }
        }
        return found;
    }
}
