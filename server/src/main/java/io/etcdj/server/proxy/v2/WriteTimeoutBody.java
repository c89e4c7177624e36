package io.etcdj.server.proxy.v2;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A proxied request's body under etcd's {@code --proxy-write-timeout}, which bounds each write to
 * the member's connection: a member that stops reading (stopped, hung, its buffers full) fails the
 * request after the timeout instead of holding it forever, and the proxy moves on to the next
 * endpoint, as etcd does on its "write tcp ...: i/o timeout".
 *
 * <p>The JDK client asks for the next chunk of a body only once it has written the ones before,
 * so "written" is seen as demand. Invariant: the deadline is armed exactly while part of the body
 * is still to be handed over and the client has not asked for it; when it fires, {@link #timedOut}
 * completes, and the sender cancels its exchange (the JDK client ignores a body's onError while it
 * waits for a socket that never drains; a cancelled send aborts the connection). As with etcd's,
 * what fits into the socket buffers is written at once, so only a body larger than those can time
 * out.
 */
final class WriteTimeoutBody implements HttpRequest.BodyPublisher {
    /** How Go words a write past its deadline, which etcd logs. */
    static final String WRITE_TIMEOUT = "i/o timeout";
    /** The unit handed to the client: small enough that a stalled connection is noticed early. */
    static final int CHUNK_BYTES = 16 * 1024;

    private final byte[] body;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> timedOut = new CompletableFuture<>();

    WriteTimeoutBody(byte[] body, Duration timeout, ScheduledExecutorService timer) {
        this.body = body;
        this.timeout = timeout;
        this.timer = timer;
    }

    /** Completes when the member left the body unread for the timeout; the send must then be cancelled. */
    CompletableFuture<Void> timedOut() {
        return timedOut;
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Sending s = new Sending(subscriber);
        subscriber.onSubscribe(s);
        s.awaitDemand();
    }

    private final class Sending implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private long demand;
        private int offset;
        private boolean finished;
        private ScheduledFuture<?> deadline;
        /** Counts armings, so that a deadline cancelled too late to stop it recognises itself as stale. */
        private long armings;
        /** Set while onNext runs, so that a request() from inside it does not deliver re-entrantly. */
        private boolean delivering;

        Sending(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public synchronized void request(long n) {
            if (finished) {
                return;
            }
            if (n <= 0) {
                finish();
                subscriber.onError(new IllegalArgumentException("non-positive request " + n));
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            disarm();
            if (!delivering) {
                deliver();
            }
        }

        private void deliver() {
            delivering = true;
            try {
                while (!finished && demand > 0 && offset < body.length) {
                    int n = Math.min(CHUNK_BYTES, body.length - offset);
                    ByteBuffer chunk = ByteBuffer.wrap(body, offset, n).slice();
                    offset += n;
                    demand--;
                    subscriber.onNext(chunk);
                }
            } finally {
                delivering = false;
            }
            if (!finished && offset == body.length) {
                finish();
                subscriber.onComplete();
            } else {
                awaitDemand();
            }
        }

        /** Arms the deadline when the client holds back what remains of the body. */
        synchronized void awaitDemand() {
            if (finished || demand > 0 || deadline != null) {
                return;
            }
            long arming = ++armings;
            try {
                deadline = timer.schedule(() -> expire(arming), timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                // the proxy is closing; its requests end with it
            }
        }

        private synchronized void expire(long arming) {
            if (finished || deadline == null || arming != armings) {
                return;
            }
            finish();
            timedOut.complete(null);
        }

        private void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void finish() {
            finished = true;
            disarm();
        }

        @Override
        public synchronized void cancel() {
            finish();
        }
    }
}
