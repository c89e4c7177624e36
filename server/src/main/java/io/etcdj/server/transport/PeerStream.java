package io.etcdj.server.transport;

import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.server.pb.PeerBatch;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of the peer port towards ONE peer: a long-lived raft stream connection
 * ({@link RaftStreamWire}), a queue, and one sender thread that (re)connects, writes what is
 * queued and watches the connection.
 *
 * <p>Fast path: when nothing is queued and the connection is up with little waiting in it,
 * {@link #send} writes the raft loop's messages into the socket at once, on the caller's thread —
 * no hand-off to another thread, which would cost a wake-up on every append and every
 * acknowledgement. Otherwise the messages are queued and the sender thread writes them.
 * Invariant (ordering): every write into the connection happens under {@link #lock}, and the fast
 * path is taken only when the queue is empty, so messages reach the peer in the order sent.
 *
 * <p>A MsgSnap is not put on the stream: it goes with a backend checkpoint on its own gRPC call
 * ({@link SnapshotSender}), from the sender thread.
 *
 * <p>A connection starts with an empty batch, and carries one whenever it has been quiet for
 * {@link #LINK_HEARTBEAT_NANOS}, as etcd's link heartbeat: the receiver refuses another cluster at
 * once, every link counts traffic both ways (the peer byte metrics) even between two followers,
 * which raft itself leaves silent, and a dead connection is noticed by a failing write.
 *
 * <p>Raft tolerates loss, so this never blocks its callers: when the queue is full the message
 * is dropped and the peer reported unreachable. When the connection breaks, the peer is reported
 * unreachable, the sender backs off (100 ms doubling to 2 s) and connects again.
 */
final class PeerStream {
    private static final Logger log = LoggerFactory.getLogger(PeerStream.class);
    private static final int QUEUE_CAPACITY = 4096;
    private static final int MAX_BATCH_MESSAGES = 256;
    private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Writes go straight into the connection only while fewer bytes than this wait in it. */
    private static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;
    private static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final long POLL_MILLIS = 100;
    /** etcd's stream writers send a link heartbeat every third of their 5 s read timeout. */
    private static final long LINK_HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(5_000 / 3);

    private final long peerId;
    private final long selfId;
    private final long clusterId;
    private final String url;
    private final MemberChannels channels;
    private final ManagedChannel channel;
    private final PeerTransport.RaftFeedback feedback;
    private final SnapshotSender.Checkpointer checkpointer;
    private final Path scratch;
    private final PeerTraffic traffic;
    private final LinkActivity activity = new LinkActivity();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Message> queue = new ArrayDeque<>(); // guarded by lock
    private RaftStreamConnection open; // guarded by lock; null while (re)connecting
    private volatile boolean running;
    private volatile boolean broken;
    /** Whether this connection carried anything (then a reconnect starts from the shortest back-off). */
    private volatile boolean sentSomething;
    /** System.nanoTime() of the last frame handed to the connection. */
    private volatile long lastWriteNanos;
    private Thread thread;

    /**
     * @param url the peer URL the stream connects to, through {@code channels}
     * @param channel the peer's gRPC channel, for snapshots
     */
    PeerStream(long peerId, long selfId, long clusterId, String url, MemberChannels channels, ManagedChannel channel,
               PeerTransport.RaftFeedback feedback, SnapshotSender.Checkpointer checkpointer,
               Path scratch, PeerTraffic traffic) {
        this.traffic = traffic;
        this.checkpointer = checkpointer;
        this.scratch = scratch;
        this.peerId = peerId;
        this.selfId = selfId;
        this.clusterId = clusterId;
        this.url = url;
        this.channels = channels;
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

    /** Since when the stream has been connected. */
    LinkActivity activity() {
        return activity;
    }

    /** Sends (or queues) messages for this peer, in order; never blocks on the network. */
    void send(List<Message> messages) {
        lock.lock();
        try {
            if (queue.isEmpty() && open != null && !broken && open.pendingBytes() < MAX_PENDING_BYTES
                    && noSnapshot(messages)) {
                write(open, messages);
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
            if (open != null) {
                open.wakeup();
            }
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

    /**
     * Writes one batch into the connection; callers hold {@link #lock}. A failed write marks the
     * connection broken (its messages are lost, as raft allows) for the sender thread to replace.
     */
    private void write(RaftStreamConnection out, List<Message> messages) {
        PeerBatch batch = PeerBatch.newBuilder().setClusterId(clusterId).setFrom(selfId).addAllMessages(messages)
                .build();
        try {
            out.write(RaftStreamWire.frame(batch));
            lastWriteNanos = System.nanoTime();
            traffic.sent(peerId, batch.getSerializedSize());
            sentSomething = !messages.isEmpty() || sentSomething;
        } catch (IOException e) {
            log.debug("writing to {} failed", Long.toHexString(peerId), e);
            broken = true;
        }
        if (broken || out.hasPending()) {
            out.wakeup(); // the sender thread flushes the rest, or replaces the connection
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            RaftStreamConnection conn = connect();
            if (conn != null) {
                try {
                    pump(conn);
                } catch (InterruptedException e) {
                    close(conn);
                    return;
                } catch (IOException | RuntimeException e) {
                    log.debug("stream to {} failed", Long.toHexString(peerId), e);
                }
                close(conn);
            }
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
        }
    }

    /** A new connection, now the one {@link #send} writes into; null when it could not be made. */
    private RaftStreamConnection connect() {
        RaftStreamConnection conn;
        try {
            conn = channels.openRaftStream(url, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot connect to {} at {}", Long.toHexString(peerId), url, e);
            return null;
        }
        lock.lock();
        try {
            broken = false;
            open = conn;
            write(conn, List.of()); // the first link heartbeat
        } finally {
            lock.unlock();
        }
        activity.up();
        channel.resetConnectBackoff(); // the peer is back: a snapshot call need not wait out gRPC's back-off
        return conn;
    }

    private void close(RaftStreamConnection conn) {
        activity.down();
        lock.lock();
        try {
            if (open == conn) {
                open = null;
            }
        } finally {
            lock.unlock();
        }
        try {
            conn.close();
        } catch (IOException e) {
            log.debug("closing the stream to {}", Long.toHexString(peerId), e);
        }
    }

    /** Writes what is queued until the connection breaks; snapshots go on their own calls. */
    private void pump(RaftStreamConnection conn) throws InterruptedException, IOException {
        List<Message> batch = new ArrayList<>();
        while (running && !broken) {
            Message snapshot = null;
            boolean more;
            lock.lockInterruptibly();
            try {
                if (!queue.isEmpty() && queue.peek().getType() == MessageType.MsgSnap) {
                    snapshot = queue.poll();
                } else if (!queue.isEmpty() && conn.pendingBytes() < MAX_PENDING_BYTES) {
                    long bytes = 0;
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES
                            && queue.peek().getType() != MessageType.MsgSnap) {
                        Message m = queue.poll();
                        batch.add(m);
                        bytes += m.getSerializedSize();
                    }
                    write(conn, batch); // under the lock: ordered with the fast path
                    batch.clear();
                }
                more = !queue.isEmpty() && conn.pendingBytes() < MAX_PENDING_BYTES;
            } finally {
                lock.unlock();
            }
            if (snapshot != null) {
                SnapshotSender.send(channel, clusterId, snapshot, checkpointer, scratch, feedback);
            } else if (!conn.poll(more ? 0 : POLL_MILLIS, lock)) {
                log.debug("peer {} closed the stream", Long.toHexString(peerId));
                return;
            }
            if (System.nanoTime() - lastWriteNanos >= LINK_HEARTBEAT_NANOS) {
                lock.lockInterruptibly();
                try {
                    if (queue.isEmpty()) {
                        write(conn, List.of());
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
