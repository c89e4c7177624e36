package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.server.EtcdServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Cluster over the {@link EtcdServer}'s membership operations. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final EtcdServer server;

    public ClusterService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        GrpcReplies.reply(server.memberList(request), out);
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        if (admin(out)) {
            GrpcReplies.reply(server.memberAdd(request), out);
        }
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        if (admin(out)) {
            GrpcReplies.reply(server.memberRemove(request), out);
        }
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        if (admin(out)) {
            GrpcReplies.reply(server.memberUpdate(request), out);
        }
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        if (admin(out)) {
            GrpcReplies.reply(server.memberPromote(request), out);
        }
    }

    /** Membership changes are root-only while auth is enabled (etcd's membership permission check). */
    private boolean admin(StreamObserver<?> out) {
        io.etcdj.server.auth.Caller caller = TokenInterceptor.caller(server, out);
        if (caller == null) {
            return false;
        }
        try {
            server.authorizeAdmin(caller);
            return true;
        } catch (io.etcdj.server.EtcdException e) {
            out.onError(e.toStatus().asRuntimeException());
            return false;
        }
    }
}
