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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of the peer port towards ONE peer: a queue and one sender thread that keeps a
 * long-lived gRPC stream open and writes batches of queued messages into it.
 *
 * <p>A MsgSnap is not put on the stream: it goes with a backend checkpoint on its own call
 * ({@link SnapshotSender}), from this same thread.
 *
 * <p>Raft tolerates loss, so this never blocks its callers: when the queue is full the message
 * is dropped and the peer reported unreachable. When the stream breaks, the peer is reported
 * unreachable, the sender backs off (100 ms doubling to 2 s) and opens
 * a new stream.
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
    private final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Object readyLock = new Object();
    private volatile boolean running;
    private volatile boolean broken;
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

    void enqueue(Message m) {
        if (!queue.offer(m)) {
            feedback.unreachable(peerId);
            if (m.getType() == MessageType.MsgSnap) {
                feedback.snapshot(peerId, SnapshotStatus.FAILURE);
            }
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            ClientCallStreamObserver<PeerBatch> out = open();
            try {
                pump(out);
            } catch (InterruptedException e) {
                out.cancel("stopping", null);
                return;
            } catch (RuntimeException e) {
                log.debug("stream to {} failed", Long.toHexString(peerId), e);
            }
            if (!running) {
                return;
            }
            out.cancel("reconnecting", null);
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
        }
    }

    private boolean sentSomething;

    private ClientCallStreamObserver<PeerBatch> open() {
        broken = false;
        ClientCall<PeerBatch, PeerAck> call = channel.newCall(PeerMethods.RAFT, CallOptions.DEFAULT);
        final ClientCallStreamObserver<PeerBatch>[] holder = new ClientCallStreamObserver[1];
        ClientResponseObserver<PeerBatch, PeerAck> responses = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<PeerBatch> requestStream) {
                holder[0] = requestStream;
                requestStream.setOnReadyHandler(() -> {
                    synchronized (readyLock) {
                        readyLock.notifyAll();
                    }
                });
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
        return holder[0] != null ? holder[0] : (ClientCallStreamObserver<PeerBatch>) requests;
    }

    private void markBroken() {
        broken = true;
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }

    /** Writes batches until the stream breaks. */
    private void pump(ClientCallStreamObserver<PeerBatch> out) throws InterruptedException {
        List<Message> batch = new ArrayList<>();
        while (running && !broken) {
            Message first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                continue;
            }
            if (first.getType() == MessageType.MsgSnap) {
                SnapshotSender.send(channel, clusterId, first, checkpointer, scratch, feedback);
                continue;
            }
            batch.add(first);
            long bytes = first.getSerializedSize();
            while (batch.size() < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES) {
                Message next = queue.peek();
                if (next == null || next.getType() == MessageType.MsgSnap) {
                    break; // a snapshot goes on its own call, after this batch
                }
                batch.add(queue.poll());
                bytes += next.getSerializedSize();
            }
            awaitReady(out);
            if (broken) {
                reportLost(batch);
                return;
            }
            PeerBatch sent = PeerBatch.newBuilder().setClusterId(clusterId).setFrom(selfId).addAllMessages(batch).build();
            out.onNext(sent);
            traffic.sent(peerId, sent.getSerializedSize());
            sentSomething = true;
            batch.clear();
        }
    }

    private void awaitReady(ClientCallStreamObserver<PeerBatch> out) throws InterruptedException {
        synchronized (readyLock) {
            while (!out.isReady() && !broken && running) {
                readyLock.wait(200);
            }
        }
    }

    private void reportLost(List<Message> batch) {
        // plain raft messages: raft resends what matters after the unreachable report
    }
}
