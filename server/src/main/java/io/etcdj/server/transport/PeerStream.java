package io.etcdj.server.transport;

import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.server.pb.PeerAck;
import io.etcdj.server.pb.PeerBatch;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of the peer port towards ONE peer: a long-lived gRPC stream, a queue, and one
 * sender thread that (re)opens the stream and writes what is queued.
 *
 * <p>Fast path: when nothing is queued and the stream is open and ready, {@link #send} writes the
 * raft loop's messages into the stream at once, on the caller's thread — no hand-off to the
 * sender thread, which would cost a wake-up on every append and every acknowledgement.
 * Otherwise the messages are queued and the sender thread writes them when the stream is ready.
 * Invariant (ordering): every write into the stream happens under {@link #lock}, and the fast
 * path is taken only when the queue is empty, so messages reach the peer in the order sent.
 *
 * <p>A MsgSnap is not put on the stream: it goes with a backend checkpoint on its own call
 * ({@link SnapshotSender}), from the sender thread.
 *
 * <p>Raft tolerates loss, so this never blocks its callers: when the queue is full the message
 * is dropped and the peer reported unreachable. When the stream breaks, the peer is reported
 * unreachable, the sender backs off (100 ms doubling to 2 s) and opens
 * a new stream, with the channel's own connect back-off reset.
 */
final class PeerStream {
    private static final Logger log = LoggerFactory.getLogger(PeerStream.class);
    private static final int QUEUE_CAPACITY = 4096;
    private static final int MAX_BATCH_MESSAGES = 256;
    private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    private final long peerId;
    private final long selfId;
    private final long clusterId;
    private final ManagedChannel channel;
    private final PeerTransport.RaftFeedback feedback;
    private final SnapshotSender.Checkpointer checkpointer;
    private final java.nio.file.Path scratch;
    private final PeerTraffic traffic;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when messages are queued, the stream becomes ready, or it breaks. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Message> queue = new ArrayDeque<>(); // guarded by lock
    private ClientCallStreamObserver<PeerBatch> open; // guarded by lock; null while (re)connecting
    private volatile boolean running;
    private volatile boolean broken;
    /** Whether this stream carried anything (then a reconnect starts from the shortest back-off). */
    private volatile boolean sentSomething;
    private Thread thread;

    PeerStream(long peerId, long selfId, long clusterId, ManagedChannel channel, PeerTransport.RaftFeedback feedback,
               SnapshotSender.Checkpointer checkpointer, java.nio.file.Path scratch, PeerTraffic traffic) {
        this.traffic = traffic;
        this.checkpointer = checkpointer;
        this.scratch = scratch;
        this.peerId = peerId;
        this.selfId = selfId;
        this.clusterId = clusterId;
        this.channel = channel;
        this.feedback = feedback;
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "peer-" + Long.toHexString(selfId) + "-to-" + Long.toHexString(peerId));
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.shutdownNow();
    }

    /** Sends (or queues) messages for this peer, in order; never blocks on the network. */
    void send(List<Message> messages) {
        lock.lock();
        try {
            if (queue.isEmpty() && open != null && !broken && open.isReady() && noSnapshot(messages)) {
                write(open, batchOf(messages));
                return;
            }
            for (Message m : messages) {
                if (queue.size() < QUEUE_CAPACITY) {
                    queue.add(m);
                } else {
                    feedback.unreachable(peerId);
                    if (m.getType() == MessageType.MsgSnap) {
                        feedback.snapshot(peerId, SnapshotStatus.FAILURE);
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static boolean noSnapshot(List<Message> messages) {
        for (Message m : messages) {
            if (m.getType() == MessageType.MsgSnap) {
                return false;
            }
        }
        return true;
    }

    /** Writes one batch into the stream; callers hold {@link #lock}. */
    private void write(ClientCallStreamObserver<PeerBatch> out, PeerBatch batch) {
        out.onNext(batch);
        traffic.sent(peerId, batch.getSerializedSize());
        sentSomething = true;
    }

    private PeerBatch batchOf(List<Message> messages) {
        return PeerBatch.newBuilder().setClusterId(clusterId).setFrom(selfId).addAllMessages(messages).build();
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            ClientCallStreamObserver<PeerBatch> out = openStream();
            try {
                pump(out);
            } catch (InterruptedException e) {
                closeStream(out, "stopping");
                return;
            } catch (RuntimeException e) {
                log.debug("stream to {} failed", Long.toHexString(peerId), e);
            }
            closeStream(out, "reconnecting");
            if (!running) {
                return;
            }
            feedback.unreachable(peerId);
            try {
                Thread.sleep(backoffMillis); // back-off between reconnects, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, 2_000);
            if (sentSomething) {
                backoffMillis = 100;
                sentSomething = false;
            }
            // The channel keeps its own reconnect back-off (gRPC's: 1 s growing to 120 s), during
            // which a new call fails at once: a peer down for minutes would stay unreached that
            // long after it is back. Ours, above, is the only back-off.
            channel.resetConnectBackoff();
        }
    }

    private ClientCallStreamObserver<PeerBatch> openStream() {
        broken = false;
        ClientCall<PeerBatch, PeerAck> call = channel.newCall(PeerMethods.RAFT, CallOptions.DEFAULT);
        final ClientCallStreamObserver<PeerBatch>[] holder = new ClientCallStreamObserver[1];
        ClientResponseObserver<PeerBatch, PeerAck> responses = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<PeerBatch> requestStream) {
                holder[0] = requestStream;
                requestStream.setOnReadyHandler(PeerStream.this::signal);
            }

            @Override
            public void onNext(PeerAck value) {}

            @Override
            public void onError(Throwable t) {
                markBroken();
            }

            @Override
            public void onCompleted() {
                markBroken();
            }
        };
        StreamObserver<PeerBatch> requests = ClientCalls.asyncClientStreamingCall(call, responses);
        ClientCallStreamObserver<PeerBatch> out =
                holder[0] != null ? holder[0] : (ClientCallStreamObserver<PeerBatch>) requests;
        lock.lock();
        try {
            open = out;
        } finally {
            lock.unlock();
        }
        return out;
    }

    private void closeStream(ClientCallStreamObserver<PeerBatch> out, String why) {
        lock.lock();
        try {
            if (open == out) {
                open = null;
            }
        } finally {
            lock.unlock();
        }
        out.cancel(why, null);
    }

    private void markBroken() {
        broken = true;
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued until the stream breaks; snapshots go on their own calls. */
    private void pump(ClientCallStreamObserver<PeerBatch> out) throws InterruptedException {
        List<Message> batch = new ArrayList<>();
        while (running && !broken) {
            Message snapshot = null;
            lock.lockInterruptibly();
            try {
                if (queue.isEmpty() || (!out.isReady() && queue.peek().getType() != MessageType.MsgSnap)) {
                    changed.await(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                if (queue.peek().getType() == MessageType.MsgSnap) {
                    snapshot = queue.poll();
                } else {
                    long bytes = 0;
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES
                            && queue.peek().getType() != MessageType.MsgSnap) {
                        Message m = queue.poll();
                        batch.add(m);
                        bytes += m.getSerializedSize();
                    }
                    write(out, batchOf(batch)); // under the lock: ordered with the fast path
                    batch.clear();
                }
            } finally {
                lock.unlock();
            }
            if (snapshot != null) {
                SnapshotSender.send(channel, clusterId, snapshot, checkpointer, scratch, feedback);
            }
        }
    }
}
