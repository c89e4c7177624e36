package io.etcdj.server.transport;

import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.server.pb.LearnerAnswer;
import io.etcdj.server.pb.LearnerQuery;
import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.pb.MembersQuery;
import io.etcdj.server.pb.PeerAck;
import io.etcdj.server.pb.PeerBatch;
import io.etcdj.server.pb.SnapshotChunk;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The peer port's gRPC methods (service {@code etcdj.peer.Peer}), declared by hand so the server
 * module needs no gRPC code generator:
 * <ul>
 *   <li>{@code Raft}: client-streaming, a long-lived stream of {@link PeerBatch} from one member to
 *       another (the receiver steps every message into its raft loop);</li>
 *   <li>{@code Members}: unary, the cluster ID and members, asked by a joining member;</li>
 *   <li>{@code Learner}: unary, whether a learner may be promoted, asked of the leader;</li>
 *   <li>{@code HashKV}: unary, the member's HashKV at a revision, asked by a member comparing its
 *       data with its peers' (--experimental-initial-corrupt-check, --experimental-corrupt-check-time);</li>
 *   <li>{@code Snapshot}: client-streaming, a MsgSnap followed by the files of a backend
 *       checkpoint (see {@link SnapshotSender} and {@link SnapshotReceiver}).</li>
 * </ul>
 */
public final class PeerMethods {
    static final String SERVICE = "etcdj.peer.Peer";

    public static final MethodDescriptor<PeerBatch, PeerAck> RAFT = MethodDescriptor.<PeerBatch, PeerAck>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Raft"))
            .setRequestMarshaller(ProtoUtils.marshaller(PeerBatch.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(PeerAck.getDefaultInstance()))
            .build();

    public static final MethodDescriptor<MembersQuery, MembersAnswer> MEMBERS =
            MethodDescriptor.<MembersQuery, MembersAnswer>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Members"))
                    .setRequestMarshaller(ProtoUtils.marshaller(MembersQuery.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(MembersAnswer.getDefaultInstance()))
                    .build();

    public static final MethodDescriptor<LearnerQuery, LearnerAnswer> LEARNER =
            MethodDescriptor.<LearnerQuery, LearnerAnswer>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Learner"))
                    .setRequestMarshaller(ProtoUtils.marshaller(LearnerQuery.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(LearnerAnswer.getDefaultInstance()))
                    .build();

    public static final MethodDescriptor<HashKVRequest,
            HashKVResponse> HASH_KV =
            MethodDescriptor.<HashKVRequest, HashKVResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "HashKV"))
                    .setRequestMarshaller(ProtoUtils.marshaller(
                            HashKVRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(
                            HashKVResponse.getDefaultInstance()))
                    .build();

    public static final MethodDescriptor<SnapshotChunk, PeerAck> SNAPSHOT =
            MethodDescriptor.<SnapshotChunk, PeerAck>newBuilder()
                    .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Snapshot"))
                    .setRequestMarshaller(ProtoUtils.marshaller(SnapshotChunk.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(PeerAck.getDefaultInstance()))
                    .build();

    /** Raft messages carry entries up to max-request-bytes; leave room for batching. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private PeerMethods() {}
}
