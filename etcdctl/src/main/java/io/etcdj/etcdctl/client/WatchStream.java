package io.etcdj.etcdctl.client;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchProgressRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One Watch stream carrying one watcher, as clientv3 opens it for etcdctl (with the
 * "hasleader" requirement). Responses arrive in {@link #next()}; null means the stream ended.
 */
public final class WatchStream implements AutoCloseable {
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    private static final Object END = new Object();

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final StreamObserver<WatchRequest> requests;
    private volatile Throwable failure;

    public WatchStream(EtcdClient client, WatchCreateRequest create) {
        Metadata md = new Metadata();
        md.put(HAS_LEADER, "true");
        this.requests = client.watch().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .watch(new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse r) {
                        inbox.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure = t;
                        inbox.add(END);
                    }

                    @Override
                    public void onCompleted() {
                        inbox.add(END);
                    }
                });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    /** The next response, or null once the stream is over. */
    public WatchResponse next() throws InterruptedException {
        Object o = inbox.take();
        if (o == END) {
            inbox.add(END);
            return null;
        }
        return (WatchResponse) o;
    }

    public Throwable failure() {
        return failure;
    }

    public void requestProgress() {
        requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
