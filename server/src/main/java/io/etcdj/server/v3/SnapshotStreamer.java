package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.server.snapshot.PackedSnapshot;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Sends one packed snapshot down a Snapshot call, as etcd does: chunks of {@value #CHUNK_BYTES} bytes
 * whose remaining_bytes count down to 0, then one last message whose blob is the SHA-256 of all the
 * chunks. Runs on its own thread (one per Snapshot call) and writes only while the call is ready, so
 * a slow client never makes the server buffer the backend. The snapshot is closed (its checkpoint
 * deleted) when the stream ends, whatever the outcome.
 */
final class SnapshotStreamer implements Runnable {
    static final int CHUNK_BYTES = 32 * 1024;

    private final ServerCallStreamObserver<SnapshotResponse> out;
    private final Object readiness = new Object();
    private volatile boolean cancelled;
    private PackedSnapshot snapshot;
    private ResponseHeader header;

    /** Must be built inside the RPC method: it installs the call's ready and cancel handlers. */
    SnapshotStreamer(ServerCallStreamObserver<SnapshotResponse> out) {
        this.out = out;
        out.setOnReadyHandler(this::wake);
        out.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    /** Starts sending {@code packed} on a new thread. */
    void start(PackedSnapshot packed, ResponseHeader responseHeader, String threadName) {
        this.snapshot = packed;
        this.header = responseHeader;
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        t.start();
    }

    private void wake() {
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }

    @Override
    public void run() {
        boolean sentAll = false;
        try (PackedSnapshot packed = snapshot; InputStream in = packed.open()) {
            MessageDigest sha = SnapshotUnpacker.sha256();
            byte[] buf = new byte[CHUNK_BYTES];
            long total = packed.size();
            long sent = 0;
            while (sent < total) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, total - sent));
                if (n <= 0) {
                    throw new IOException("snapshot ended after " + sent + " of " + total + " bytes");
                }
                sha.update(buf, 0, n);
                sent += n;
                SnapshotResponse.Builder r = SnapshotResponse.newBuilder().setRemainingBytes(total - sent)
                        .setBlob(ByteString.copyFrom(buf, 0, n));
                if (sent == n) {
                    r.setHeader(header);
                }
                if (!send(r.build())) {
                    return;
                }
            }
            sentAll = send(SnapshotResponse.newBuilder().setRemainingBytes(0).setBlob(ByteString.copyFrom(sha.digest())).build());
        } catch (IOException | RuntimeException e) {
            sentAll = false;
            if (!cancelled) {
                out.onError(Status.INTERNAL.withDescription("snapshot: " + e.getMessage()).asRuntimeException());
            }
        } catch (InterruptedException e) {
            sentAll = false;
            Thread.currentThread().interrupt();
        }
        if (sentAll) {
            out.onCompleted(); // only now: the checkpoint is deleted once the client sees the end
        }
    }

    /** Waits until the call can take a message, then sends it; false if the call was cancelled. */
    private boolean send(SnapshotResponse r) throws InterruptedException {
        synchronized (readiness) {
            while (!cancelled && !out.isReady()) {
                readiness.wait(1000); // woken by the ready/cancel handlers; the bound is only a safety net
            }
        }
        if (cancelled) {
            return false;
        }
        out.onNext(r);
        return true;
    }
}
