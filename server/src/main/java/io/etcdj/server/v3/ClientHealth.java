package io.etcdj.server.v3;

import io.etcdj.server.raft.RaftListener;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * grpc.health.v1.Health on the client port, as etcd 3.5 serves it: the overall service ("") is
 * SERVING while this member knows a leader and NOT_SERVING otherwise (from start until the first
 * leader is known). Leader changes arrive on the raft-loop thread; the manager is thread-safe.
 */
public final class ClientHealth implements RaftListener {
    private final HealthStatusManager manager = new HealthStatusManager();

    public ClientHealth() {
        manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    public BindableService service() {
        return manager.getHealthService();
    }

    @Override
    public void onLeaderChange(long leader, long term) {
        manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                leader != 0 ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /** Every check answers NOT_SERVING from now on (the member is stopping). */
    public void stopping() {
        manager.enterTerminalState();
    }
}
