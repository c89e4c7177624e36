package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.mvcc.watch.WatchStream;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcdserverpb.Watch: one {@link WatchStream} per gRPC call. Requests are handed to the stream on
 * gRPC's thread; responses are sent by a drain task on the sender pool, scheduled whenever the
 * stream queues a response or the call becomes ready again. The drain sends only while the call is
 * ready (gRPC flow control), so a slow client fills the stream's bounded buffer and its watchers
 * are then served from history: writers never wait for a client. The member's store builds every
 * response with its complete header (cluster_id, member_id, raft_term and revision). Each stream
 * gets a progress tick every {@code progressInterval} (etcd: 10 minutes) counted from its own
 * opening, as etcd 3.4's per-stream ticker: a stream opened a moment ago hears nothing before a
 * whole interval.
 *
 * <p>Threads: the sender pool (threads made on first use) and the progress ticker (ticking once
 * {@link #start()} was called) are owned here and stopped by {@link #close()}.
 */
public final class WatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchService.class);
    /** etcd's progressReportInterval. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofMinutes(10);

    private final EtcdServer server;
    private final ExecutorService senders;
    private final ScheduledExecutorService ticker;
    private final Set<WatchCall> calls = ConcurrentHashMap.newKeySet();
    private final long progressMillis;
    private volatile boolean ticking;

    public WatchService(EtcdServer server, String name) {
        this(server, name, PROGRESS_INTERVAL);
    }

    public WatchService(EtcdServer server, String name, Duration progressInterval) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(2, r -> daemon(r, "watch-send-" + name + "-" + n.incrementAndGet()));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "watch-progress-" + name));
        this.progressMillis = progressInterval.toMillis();
    }

    /** From now on each stream gets progress ticks (one opened earlier from now). */
    public void start() {
        ticking = true;
        calls.forEach(WatchCall::tickEveryInterval);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
        WatchCall call = new WatchCall((ServerCallStreamObserver<WatchResponse>) out, server.openWatchStream());
        calls.add(call);
        call.start();
        if (ticking) {
            call.tickEveryInterval();
        }
        return call;
    }

    /** Stops the sender pool and the ticker; open calls are ended by the gRPC server's shutdown. */
    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
        calls.forEach(WatchCall::closeStream);
        calls.clear();
    }

    /** One gRPC Watch call: its request side and its sender. */
    private final class WatchCall implements StreamObserver<WatchRequest> {
        private final ServerCallStreamObserver<WatchResponse> out;
        private final WatchStream stream;
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final Object sendLock = new Object();
        private boolean finished; // guarded by sendLock
        private volatile ScheduledFuture<?> ticks;

        WatchCall(ServerCallStreamObserver<WatchResponse> out, WatchStream stream) {
            this.out = out;
            this.stream = stream;
        }

        /**
         * The requests of this call, handled in arrival order: a create waits for its caller's
         * token to be resolved (which may wait for the Authenticate entry to be applied here).
         */
        private CompletableFuture<Void> handled = CompletableFuture.completedFuture(null);

        void start() {
            stream.setResponseListener(this::scheduleDrain);
            out.setOnReadyHandler(this::scheduleDrain);
            out.setOnCancelHandler(this::closeStream);
        }

        /** Runs under the store's locks (the response listener): only schedules. */
        private void scheduleDrain() {
            if (drainScheduled.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (RejectedExecutionException stopping) {
                    drainScheduled.set(false);
                }
            }
        }

        private void drain() {
            drainScheduled.set(false);
            synchronized (sendLock) {
                try {
                    while (!finished && out.isReady()) {
                        WatchResponse r = stream.poll();
                        if (r == null) {
                            return;
                        }
                        out.onNext(r);
                    }
                } catch (RuntimeException e) { // the call went away under us
                    log.debug("watch stream send failed: {}", e.toString());
                    finished = true;
                    closeStream();
                }
            }
        }

        /** Progress ticks every interval from now until the stream closes (once, whoever asks again). */
        synchronized void tickEveryInterval() {
            if (ticks != null) {
                return;
            }
            try {
                ticks = ticker.scheduleAtFixedRate(stream::progressTick, progressMillis, progressMillis,
                        TimeUnit.MILLISECONDS);
                if (!calls.contains(this)) { // closed meanwhile
                    ticks.cancel(false);
                }
            } catch (RejectedExecutionException stopping) {
                // the service is closing
            }
        }

        @Override
        public void onNext(WatchRequest request) {
            if (!request.hasCreateRequest()) {
                handled = handled.handle((v, err) -> {
                    stream.handle(request);
                    return null;
                });
                return;
            }
            WatchRequest create = WatchRequest.newBuilder()
                    .setCreateRequest(normalized(request.getCreateRequest())).build();
            CompletableFuture<Caller> caller = TokenInterceptor.caller(server);
            // handle(), not then...(): a failed request must not stop the ones after it
            handled = handled.handle((v, e) -> null).thenCompose(v -> caller.handle((c, err) -> {
                EtcdException refused = err != null ? asEtcd(err)
                        : refusal(c, create.getCreateRequest());
                if (refused != null) {
                    refuse(refused);
                } else {
                    stream.handle(create);
                }
                return null;
            }));
        }

        /** Why the caller may not read what the watch covers, or null if it may. */
        private EtcdException refusal(Caller caller, WatchCreateRequest create) {
            try {
                server.authorizeRead(caller, create.getKey(), create.getRangeEnd());
                return null;
            } catch (EtcdException e) {
                return e;
            }
        }

        /**
         * etcd's answer to a watch the caller may not read: created and at once canceled, ID -1,
         * the reason being the auth error as a Go gRPC status text.
         */
        private void refuse(EtcdException why) {
            WatchResponse r = WatchResponse.newBuilder().setHeader(server.header()).setWatchId(-1)
                    .setCreated(true).setCanceled(true)
                    .setCancelReason("rpc error: code = " + GoGrpcCodes.name(why.code()) + " desc = " + why.getMessage())
                    .build();
            synchronized (sendLock) {
                if (!finished) {
                    out.onNext(r);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            closeStream();
        }

        /**
         * The client closed its sending side. Like etcd, the watches go on: the call ends only when
         * the client cancels it or goes away (the JSON gateway sends its one request, half-closes,
         * and then streams events).
         */
        @Override
        public void onCompleted() {
        }

        void closeStream() {
            calls.remove(this);
            ScheduledFuture<?> t = ticks;
            if (t != null) {
                t.cancel(false);
            }
            stream.close();
        }
    }

    private static EtcdException asEtcd(Throwable err) {
        Throwable t = err;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof EtcdException e ? e
                : EtcdError.INVALID_AUTH_TOKEN.exception();
    }

    /** etcd's gRPC layer: an empty key means "\0" (the smallest key). */
    private static WatchCreateRequest normalized(WatchCreateRequest r) {
        if (r.getKey().isEmpty()) {
            return r.toBuilder().setKey(ByteString.copyFrom(new byte[] {0})).build();
        }
        return r;
    }
}
