package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.server.EtcdServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Maintenance: Status for now. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private final EtcdServer server;

    public MaintenanceService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        GrpcReplies.reply(server.status(request), out);
    }
}
