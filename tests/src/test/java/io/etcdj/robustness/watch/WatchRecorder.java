package io.etcdj.robustness.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logical watch on every key with prev_kv, fed into a {@link WatchChecker}. When its stream
 * breaks (member killed, partitioned, canceled) it resumes on the next member from the last
 * revision seen + 1 — which exercises "resumable".
 */
public final class WatchRecorder implements AutoCloseable {

    private final List<ManagedChannel> channels;
    private final WatchChecker checker;
    private final AtomicInteger member = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private volatile boolean closed;
    private volatile StreamObserver<WatchRequest> requests;
    private volatile String compactedError;

    public WatchRecorder(List<ManagedChannel> channels, WatchChecker checker) {
        this.channels = List.copyOf(channels);
        this.checker = checker;
    }

    public void start() {
        open();
    }

    public int resumes() {
        return resumes.get();
    }

    /** Non-null when the server said the resume revision was compacted (the watch is then incomplete). */
    public String compactedError() {
        return compactedError;
    }

    private void open() {
        if (closed) {
            return;
        }
        ManagedChannel channel = channels.get(member.get() % channels.size());
        StreamObserver<WatchResponse> responses = new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCompactRevision() != 0) {
                    compactedError = "watch resume at " + (checker.lastRevision() + 1)
                            + " was compacted (compact revision " + r.getCompactRevision() + ")";
                    closed = true;   // the stream can never be complete again: give up
                    return;
                }
                if (r.getCanceled()) {
                    reopen();
                    return;
                }
                checker.accept(r);
            }

            @Override
            public void onError(Throwable t) {
                reopen();
            }

            @Override
            public void onCompleted() {
                reopen();
            }
        };
        // "hasleader": a member that loses its leader cancels the watch (as etcd clients ask with
        // WithRequireLeader), so a watch on a partitioned member moves on instead of stalling.
        Metadata requireLeader = new Metadata();
        requireLeader.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(requireLeader))
                .watch(responses);
        requests = req;
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setStartRevision(checker.lastRevision() + 1)
                .setPrevKv(true)
                .setProgressNotify(true)).build());
    }

    private void reopen() {
        if (closed) {
            return;
        }
        resumes.incrementAndGet();
        member.incrementAndGet();
        checker.noteResume();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);   // back-off before dialing the next member
            } catch (InterruptedException e) {
                return;
            }
            open();
        }, "watch-resume");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        StreamObserver<WatchRequest> r = requests;
        if (r != null) {
            try {
                r.onCompleted();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }
}
