package io.etcdj.robustness.lease;

import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one lease alive as an etcd client does: a LeaseKeepAlive stream, one request every
 * {@code period}, moving to the next member (a new stream) when an answer does not come within
 * {@link #ANSWER_TIMEOUT} or the stream fails. Every answered request is kept as an {@link Ack}
 * (sent and received times, TTL), so a checker knows when the leader may have refreshed the
 * lease: not before a request was sent, not after its answer arrived — or, for a request that got
 * no answer, not after the client canceled its stream, {@link #ANSWER_TIMEOUT} after sending.
 */
public final class KeepAliveClient {

    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    /** A keep-alive answered with {@code ttl} (0: the lease is gone). Times are System.nanoTime(). */
    public record Ack(long sentNanos, long receivedNanos, long ttl) {
    }

    private final long leaseId;
    private final List<ManagedChannel> channels;
    private final Duration period;
    private final List<Ack> acks = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private long unansweredSentNanos = Long.MIN_VALUE; // the last request that got no answer
    private int member;
    private int streams;

    public KeepAliveClient(long leaseId, List<ManagedChannel> channels, int firstMember, Duration period) {
        this.leaseId = leaseId;
        this.channels = List.copyOf(channels);
        this.member = firstMember;
        this.period = period;
        this.thread = new Thread(this::run, "keepalive-" + Long.toHexString(leaseId));
        this.thread.setDaemon(true);
    }

    public long leaseId() {
        return leaseId;
    }

    public void start() {
        thread.start();
    }

    /** Stops sending; returns once no request is in flight any more (the last one answered or given up on). */
    public void stop() throws InterruptedException {
        stop = true;
        thread.join(ANSWER_TIMEOUT.toMillis() + 5_000);
        if (thread.isAlive()) {
            throw new AssertionError("keep-alive client of lease " + Long.toHexString(leaseId) + " does not stop");
        }
    }

    public synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** How many streams were opened (1 + how often the client moved to another member). */
    public synchronized int streams() {
        return streams;
    }

    /**
     * The latest moment the leader may have refreshed the lease, by the client's clock: the last
     * answer, or the cancellation of a later request that got none. Call after {@link #stop}.
     */
    public synchronized long refreshedNoLaterThan() {
        long last = acks.isEmpty() ? Long.MIN_VALUE : acks.get(acks.size() - 1).receivedNanos();
        if (unansweredSentNanos != Long.MIN_VALUE) {
            last = Math.max(last, unansweredSentNanos + ANSWER_TIMEOUT.toNanos());
        }
        return last;
    }

    private void run() {
        BlockingQueue<Object> answers = null;
        ClientCallStreamObserver<LeaseKeepAliveRequest> requests = null;
        while (!stop) {
            if (requests == null) {
                answers = new LinkedBlockingQueue<>();
                requests = open(channels.get(member % channels.size()), answers);
            }
            long sent = System.nanoTime();
            Object answer;
            try {
                requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
                answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                answer = e;
            }
            if (answer instanceof LeaseKeepAliveResponse r) {
                synchronized (this) {
                    acks.add(new Ack(sent, System.nanoTime(), r.getTTL()));
                }
                pause(period);
            } else {
                synchronized (this) {
                    unansweredSentNanos = sent;
                }
                requests.cancel("no keep-alive answer", null);
                requests = null;
                member++;
                pause(Duration.ofMillis(100)); // back-off before the next member
            }
        }
        if (requests != null) {
            requests.cancel("keep-alives stopped", null);
        }
    }

    private ClientCallStreamObserver<LeaseKeepAliveRequest> open(ManagedChannel channel, BlockingQueue<Object> answers) {
        synchronized (this) {
            streams++;
        }
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<LeaseKeepAliveRequest>[] holder = new ClientCallStreamObserver[1];
        LeaseGrpc.newStub(channel).leaseKeepAlive(new ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> requests) {
                holder[0] = requests;
            }

            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                answers.add(r);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t);
            }

            @Override
            public void onCompleted() {
                answers.add("completed");
            }
        });
        return holder[0];
    }

    /** The keep-alive period (or a back-off), cut short by {@link #stop}: a pace, not a synchronisation. */
    private void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (!stop && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(20, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                stop = true;
            }
        }
    }
}
