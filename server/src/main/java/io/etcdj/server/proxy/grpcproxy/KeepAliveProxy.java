package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.Metadata;
import io.grpc.ServerCallHandler;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** The handler of Lease/LeaseKeepAlive: one client's stream, renewed through the {@link KeepAliveCoalescer}. */
final class KeepAliveProxy implements StreamObserver<LeaseKeepAliveRequest> {
    private final KeepAliveCoalescer coalescer;
    private final StreamObserver<LeaseKeepAliveResponse> responses;
    private final Metadata headers = ClientHeaders.current();
    private final String identity = ClientHeaders.identity();
    /** Guards {@code responses}, written by whichever upstream answer arrives. */
    private final Object sendLock = new Object();
    private boolean closed;

    private KeepAliveProxy(KeepAliveCoalescer coalescer, StreamObserver<LeaseKeepAliveResponse> responses) {
        this.coalescer = coalescer;
        this.responses = responses;
    }

    static ServerCallHandler<LeaseKeepAliveRequest, LeaseKeepAliveResponse> handler(KeepAliveCoalescer coalescer) {
        return ServerCalls.asyncBidiStreamingCall(responses -> new KeepAliveProxy(coalescer, responses));
    }

    @Override
    public void onNext(LeaseKeepAliveRequest r) {
        coalescer.keepAlive(r.getID(), headers, identity, answer -> {
            synchronized (sendLock) {
                if (!closed) {
                    responses.onNext(answer);
                }
            }
        });
    }

    @Override
    public void onError(Throwable t) {
        synchronized (sendLock) {
            closed = true;
        }
    }

    @Override
    public void onCompleted() {
        synchronized (sendLock) {
            closed = true;
            responses.onError(ClientHalfClose.streamEnded());
        }
    }
}
