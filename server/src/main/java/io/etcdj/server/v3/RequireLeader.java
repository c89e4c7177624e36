package io.etcdj.server.v3;

import io.etcdj.server.EtcdError;
import io.etcdj.server.grpcgo.GuardedServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * etcd's answer to a client that asks for a leader (metadata "hasleader: true", clientv3's
 * WithRequireLeader, which etcdctl's watch and Kubernetes' watches use): a call made while this
 * member knows no leader fails at once with UNAVAILABLE "etcdserver: no leader"; a stream already
 * open is ended with that error once the member has found no leader at three checks in a row,
 * one election timeout apart, so a watcher cut off in a minority learns it instead of waiting
 * for events that cannot come. Calls without the metadata are not touched.
 */
public final class RequireLeader implements ServerInterceptor, AutoCloseable {
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    /** etcd's maxNoLeaderCnt: streams are dearer to reopen than a request is to refuse. */
    static final int CHECKS_WITHOUT_LEADER = 3;

    private final LongSupplier leader;
    private final Set<LeaderBoundCall<?, ?>> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService checks;
    private int checksWithoutLeader; // on the checks thread only

    /** @param leader the leader this member knows, 0 for none */
    public RequireLeader(LongSupplier leader, Duration electionTimeout, String memberName) {
        this.leader = leader;
        this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "require-leader-" + memberName);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, electionTimeout.toMillis());
        checks.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        if (!"true".equals(headers.get(HAS_LEADER))) {
            return next.startCall(call, headers);
        }
        if (leader.getAsLong() == 0) {
            call.close(noLeader(), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        LeaderBoundCall<Q, A> bound = new LeaderBoundCall<>(call);
        streams.add(bound);
        return bound.listen(next.startCall(bound, headers));
    }

    /** One check, every election timeout. */
    void check() {
        checksWithoutLeader = leader.getAsLong() == 0 ? checksWithoutLeader + 1 : 0;
        if (checksWithoutLeader >= CHECKS_WITHOUT_LEADER) {
            for (LeaderBoundCall<?, ?> s : streams) {
                streams.remove(s);
                s.endWithoutLeader();
            }
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    private static Status noLeader() {
        return EtcdError.NO_LEADER.exception().toStatus();
    }

    /**
     * A stream the checks thread may end ({@link GuardedServerCall}: the handler's later sends are
     * dropped); the handler then learns of the end as a cancellation.
     */
    private final class LeaderBoundCall<Q, A> extends GuardedServerCall<Q, A> {
        LeaderBoundCall(ServerCall<Q, A> call) {
            super(call);
        }

        ServerCall.Listener<Q> listen(ServerCall.Listener<Q> handler) {
            return listen(handler, () -> streams.remove(this));
        }

        void endWithoutLeader() {
            end(noLeader()); // unless the handler had closed it: its own end stands
        }
    }
}
