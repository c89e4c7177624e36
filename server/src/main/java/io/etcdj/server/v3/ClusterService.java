package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.server.EtcdServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Cluster: MemberList for now (add/remove/update/promote come later). */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final EtcdServer server;

    public ClusterService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        GrpcReplies.reply(server.memberList(request), out);
    }
}
