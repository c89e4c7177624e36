package io.etcdj.server.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Lock;

/**
 * The sending end of one raft stream connection ({@link RaftStreamWire}): a non-blocking socket
 * that whoever holds the link's lock writes frames into, and that the link's sender thread
 * watches for writability (to flush what did not fit) and for the other side closing.
 *
 * <p>Invariants: bytes reach the socket in the order {@link #write} was called — nothing is written
 * while an earlier frame's bytes are still pending; {@link #write} and {@link #flush} are called
 * only under the link's lock; {@link #open} and {@link #poll} only on the link's sender thread.
 */
class RaftStreamConnection implements Closeable {
    final SocketChannel socket;
    private final Selector selector;
    /** Bytes accepted by {@link #write} that the socket did not take yet, oldest first. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

    RaftStreamConnection(SocketChannel socket, Selector selector) {
        this.socket = socket;
        this.selector = selector;
    }

    /**
     * Connects to {@code remote} (leaving from {@code source} when not null) within
     * {@code timeoutMillis}, with TLS when {@code tls} is not null, and writes the preface.
     */
    static RaftStreamConnection open(InetSocketAddress remote, InetAddress source, RaftStreamTls tls,
                                     long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        SocketChannel socket = SocketChannel.open();
        Selector selector = null;
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            selector = Selector.open();
            if (!socket.connect(remote)) {
                SelectionKey key = socket.register(selector, SelectionKey.OP_CONNECT);
                while (!socket.finishConnect()) {
                    awaitUntil(selector, deadline, "connecting to " + remote);
                }
                key.interestOps(0);
            }
            RaftStreamConnection c = tls == null ? new RaftStreamConnection(socket, selector)
                    : tls.handshake(socket, selector, remote, deadline);
            c.write(RaftStreamWire.preface());
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Waits on {@code selector} until something is ready, failing once {@code deadline} (nanoTime) passed. */
    static void awaitUntil(Selector selector, long deadline, String what) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new IOException("timed out " + what);
        }
        selector.select(left);
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(what);
        }
    }

    /** Hands {@code frame} to the socket: what it does not take now stays pending, in order. */
    void write(ByteBuffer frame) throws IOException {
        for (ByteBuffer wire : encode(frame)) {
            writeWire(wire);
        }
    }

    /** Hands bytes meant for the wire as they are to the socket, after any pending ones. */
    final void writeWire(ByteBuffer wire) throws IOException {
        if (pending.isEmpty()) {
            socket.write(wire);
        }
        if (wire.hasRemaining()) {
            pending.add(wire);
            pendingBytes += wire.remaining();
        }
    }

    /** The bytes to put on the socket for {@code frame}: itself, or its TLS records. */
    ByteBuffer[] encode(ByteBuffer frame) throws IOException {
        return new ByteBuffer[] {frame};
    }

    /** Writes pending bytes until the socket takes no more; whether none are left. */
    boolean flush() throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer head = pending.peek();
            int n = socket.write(head);
            pendingBytes -= n;
            if (head.hasRemaining()) {
                return false;
            }
            pending.poll();
        }
        return true;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Waits up to {@code millis} (0: not at all) for the other side to send or close, or (with bytes pending) for
     * room in the socket, and deals with what happened; {@link #wakeup} ends the wait early.
     *
     * @param lock the link's lock, held while pending bytes are flushed
     * @return false when the other side closed the connection
     */
    boolean poll(long millis, Lock lock) throws IOException {
        boolean wantWrite;
        lock.lock();
        try {
            wantWrite = hasPending();
        } finally {
            lock.unlock();
        }
        SelectionKey key = socket.keyFor(selector);
        int ops = SelectionKey.OP_READ | (wantWrite ? SelectionKey.OP_WRITE : 0);
        if (key == null) {
            key = socket.register(selector, ops);
        } else {
            key.interestOps(ops);
        }
        int ready = millis <= 0 ? selector.selectNow() : selector.select(millis);
        boolean selected = ready > 0 && selector.selectedKeys().contains(key);
        selector.selectedKeys().clear();
        if (selected && key.isValid() && key.isReadable() && !readInbound(lock)) {
            return false;
        }
        if (wantWrite) {
            lock.lock();
            try {
                flush();
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /**
     * Reads what the other side sent (a raft stream's receiver sends nothing but TLS's own
     * records); false at its end.
     */
    boolean readInbound(Lock lock) throws IOException {
        readBuffer.clear();
        return socket.read(readBuffer) >= 0;
    }

    /** Ends a {@link #poll} in progress (any thread). */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            selector.close();
        }
    }
}
