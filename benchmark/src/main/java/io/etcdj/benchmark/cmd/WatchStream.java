package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One Watch stream carrying many watchers. Watchers are created in order by the owning thread;
 * the server confirms creations in the same order, which is how each confirmation is matched to
 * its watcher (and its creation latency measured). Events are handed to {@code onEvents} with the
 * watcher index (0-based, in creation order on this stream) and the number of events.
 *
 * <p>Responses arrive on one transport thread at a time, so the handlers need no locking among
 * themselves; {@link #create} must be called from a single thread.
 */
final class WatchStream {
    private final ClientCall<WatchRequest, WatchResponse> call;
    private final StreamObserver<WatchRequest> requests;
    private final ArrayDeque<long[]> awaitingCreation = new ArrayDeque<>(); // {watcher index, sent nanos}
    private final Map<Long, Integer> watcherOfId = new HashMap<>();
    private int created;
    private volatile boolean closed;

    WatchStream(Channel channel, BiConsumer<Integer, Long> onCreated, EventSink onEvents, Consumer<Throwable> onError) {
        call = channel.newCall(WatchGrpc.getWatchMethod(), CallOptions.DEFAULT);
        requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                long now = System.nanoTime();
                if (r.getCreated()) {
                    long[] w;
                    synchronized (awaitingCreation) {
                        w = awaitingCreation.poll();
                    }
                    if (w != null) {
                        watcherOfId.put(r.getWatchId(), (int) w[0]);
                        onCreated.accept((int) w[0], now - w[1]);
                    }
                }
                if (r.getEventsCount() > 0) {
                    Integer watcher = watcherOfId.get(r.getWatchId());
                    if (watcher != null) {
                        onEvents.events(watcher, r.getEventsCount(), now);
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                if (!closed) { // our own cancellation at the end is not a failure
                    onError.accept(t);
                }
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /** Asks for one more watcher on {@code key} from {@code startRevision} (0 = now). */
    int create(ByteString key, long startRevision, boolean prevKv) {
        int index = created++;
        synchronized (awaitingCreation) {
            awaitingCreation.add(new long[] {index, System.nanoTime()});
        }
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)
                .setStartRevision(startRevision).setPrevKv(prevKv)).build());
        return index;
    }

    void close() {
        closed = true;
        call.cancel("benchmark finished", null);
    }

    /** Receives the events of one response. */
    @FunctionalInterface
    interface EventSink {
        void events(int watcher, int count, long receivedNanos);
    }
}
