package io.etcdj.server.transport;

import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.raft.pb.Message;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.pb.LearnerAnswer;
import io.etcdj.server.pb.LearnerQuery;
import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.pb.MembersQuery;
import io.etcdj.server.pb.PeerAck;
import io.etcdj.server.pb.PeerBatch;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of the peer port: steps incoming raft messages into the local raft loop
 * (batches from another cluster or from a removed member are refused) and answers member queries.
 */
public final class PeerService {
    private static final Logger log = LoggerFactory.getLogger(PeerService.class);

    private final Supplier<Membership> membership;
    private final Consumer<Message> raftInbox;
    private final Path snapDir;
    private final PeerTraffic traffic;

    /**
     * @param membership the current membership; null while this member is still bootstrapping
     * @param snapDir where received snapshot backends are stored (member/snap)
     */
    public PeerService(Supplier<Membership> membership, Consumer<Message> raftInbox, Path snapDir) {
        this(membership, raftInbox, snapDir, PeerTraffic.NONE);
    }

    /** @param traffic told of every accepted batch received (its serialized size) */
    private volatile Function<Long, CompletableFuture<LearnerAnswer>>
            learnerAnswers = id -> CompletableFuture.completedFuture(
                    LearnerAnswer.getDefaultInstance());

    public PeerService(Supplier<Membership> membership, Consumer<Message> raftInbox, Path snapDir,
                       PeerTraffic traffic) {
        this.traffic = traffic;
        this.membership = membership;
        this.raftInbox = raftInbox;
        this.snapDir = snapDir;
    }

    /** Where the backend that came with the snapshot at {@code index} is stored. */
    public static Path receivedCheckpoint(Path snapDir, long index) {
        return SnapshotReceiver.receivedDir(snapDir, index);
    }

    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(PeerMethods.SERVICE)
                .addMethod(PeerMethods.RAFT, ServerCalls.asyncClientStreamingCall(this::openRaftStream))
                .addMethod(PeerMethods.MEMBERS, ServerCalls.asyncUnaryCall(this::members))
                .addMethod(PeerMethods.LEARNER, ServerCalls.asyncUnaryCall(this::learner))
                .addMethod(PeerMethods.HASH_KV, ServerCalls.asyncUnaryCall(
                        (request, response) -> hashKvAnswers.accept(request, response)))
                .addMethod(PeerMethods.SNAPSHOT, ServerCalls.asyncClientStreamingCall(
                        response -> new SnapshotReceiver(snapDir, membership, raftInbox, response)))
                .build();
    }

    /**
     * Steps a batch that came in on a raft stream (gRPC's or {@link RaftStreamWire}'s) into the
     * raft loop; false, with a warning, when it is refused: this member is still bootstrapping, the
     * batch is from another cluster, or its sender was removed.
     */
    boolean acceptBatch(PeerBatch batch) {
        Membership m = membership.get();
        if (m == null || batch.getClusterId() != m.clusterId() || m.isRemoved(batch.getFrom())) {
            log.warn("refusing raft stream from {} (cluster {})", Long.toHexString(batch.getFrom()),
                    Long.toHexString(batch.getClusterId()));
            return false;
        }
        traffic.received(batch.getFrom(), batch.getSerializedSize());
        batch.getMessagesList().forEach(raftInbox);
        return true;
    }

    private StreamObserver<PeerBatch> openRaftStream(StreamObserver<PeerAck> response) {
        return new StreamObserver<>() {
            private boolean refused;

            @Override
            public void onNext(PeerBatch batch) {
                if (!refused && !acceptBatch(batch)) {
                    refused = true;
                    response.onError(Status.FAILED_PRECONDITION
                            .withDescription("cluster ID mismatch or member removed").asRuntimeException());
                }
            }

            @Override
            public void onError(Throwable t) {
                // the sender went away; it reconnects
            }

            @Override
            public void onCompleted() {
                if (!refused) {
                    response.onNext(PeerAck.getDefaultInstance());
                    response.onCompleted();
                }
            }
        };
    }

    private volatile BiConsumer<HashKVRequest,
            StreamObserver<HashKVResponse>> hashKvAnswers = (request, response) ->
            response.onError(Status.UNAVAILABLE.withDescription("member not started").asRuntimeException());

    /** Installs who answers {@code HashKV} queries (before the peer port serves). */
    public void answerHashKvQueries(BiConsumer<HashKVRequest,
            StreamObserver<HashKVResponse>> answers) {
        this.hashKvAnswers = answers;
    }

    /** Installs who answers {@code Learner} queries (before the peer port serves). */
    public void answerLearnerQueries(
            Function<Long, CompletableFuture<LearnerAnswer>> answers) {
        this.learnerAnswers = answers;
    }

    private void learner(LearnerQuery query, StreamObserver<LearnerAnswer> response) {
        learnerAnswers.apply(query.getLearnerId()).whenComplete((answer, err) -> {
            if (err != null) {
                response.onError(Status.UNAVAILABLE.withDescription(String.valueOf(err.getMessage())).asRuntimeException());
            } else {
                response.onNext(answer);
                response.onCompleted();
            }
        });
    }

    private void members(MembersQuery query, StreamObserver<MembersAnswer> response) {
        Membership m = membership.get();
        if (m == null) {
            response.onError(Status.UNAVAILABLE.withDescription("member not started").asRuntimeException());
            return;
        }
        response.onNext(MembersAnswer.newBuilder().setClusterId(m.clusterId())
                .addAllMembers(m.members().stream().map(Member::toRecord).toList()).build());
        response.onCompleted();
    }
}
