package io.etcdj.server.transport;

import io.etcdj.server.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS for raft stream connections to https peer URLs, with this member's peer client material
 * (its certificate, the trusted CA, versions and suites; the peer's certificate must name the
 * URL's host, as gRPC's peer links check it).
 */
final class RaftStreamTls {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final TlsMaterial material;
    private final SSLContext context;

    RaftStreamTls(TlsMaterial material) throws IOException {
        this.material = material;
        this.context = material.sslContext();
    }

    /** Runs the client handshake on a connected non-blocking socket, by {@code deadline} (nanoTime). */
    RaftStreamConnection handshake(SocketChannel socket, Selector selector, InetSocketAddress remote, long deadline)
            throws IOException {
        SSLEngine engine = material.clientEngine(context, remote.getHostString(), remote.getPort());
        ByteBuffer netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteBuffer appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SelectionKey key = socket.register(selector, 0);
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP -> {
                    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    SSLEngineResult r = engine.wrap(NOTHING, out);
                    out.flip();
                    key.interestOps(SelectionKey.OP_WRITE);
                    while (out.hasRemaining()) {
                        if (socket.write(out) == 0) {
                            RaftStreamConnection.awaitUntil(selector, deadline, "in the TLS handshake with " + remote);
                        }
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS handshake with " + remote + " failed");
                    }
                    hs = r.getHandshakeStatus();
                }
                case NEED_TASK -> {
                    runTasks(engine);
                    hs = engine.getHandshakeStatus();
                }
                default -> { // NEED_UNWRAP, NEED_UNWRAP_AGAIN
                    netIn.flip();
                    SSLEngineResult r = engine.unwrap(netIn, appIn);
                    netIn.compact();
                    switch (r.getStatus()) {
                        case BUFFER_UNDERFLOW -> {
                            netIn = roomFor(netIn, engine.getSession().getPacketBufferSize());
                            key.interestOps(SelectionKey.OP_READ);
                            int n;
                            while ((n = socket.read(netIn)) == 0) {
                                RaftStreamConnection.awaitUntil(selector, deadline,
                                        "in the TLS handshake with " + remote);
                            }
                            if (n < 0) {
                                throw new SSLException(remote + " closed the connection in the TLS handshake");
                            }
                        }
                        case BUFFER_OVERFLOW -> appIn = roomFor(appIn, engine.getSession().getApplicationBufferSize());
                        case CLOSED -> throw new SSLException(remote + " closed the TLS session in its handshake");
                        case OK -> { }
                    }
                    hs = r.getStatus() == SSLEngineResult.Status.OK ? r.getHandshakeStatus() : engine.getHandshakeStatus();
                }
            }
        }
        key.interestOps(0);
        return new Connection(socket, selector, engine, netIn);
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** {@code b} (in write mode) with at least {@code room} bytes free, its content kept. */
    private static ByteBuffer roomFor(ByteBuffer b, int room) {
        if (b.remaining() >= room) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(b.position() + room);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    /** A connection whose frames travel as TLS records. */
    private static final class Connection extends RaftStreamConnection {
        private final SSLEngine engine;
        /** Received bytes not yet unwrapped (write mode). Sender thread only. */
        private ByteBuffer netIn;
        private ByteBuffer appIn;

        Connection(SocketChannel socket, Selector selector, SSLEngine engine, ByteBuffer netIn) {
            super(socket, selector);
            this.engine = engine;
            this.netIn = netIn;
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        @Override
        ByteBuffer[] encode(ByteBuffer frame) throws IOException {
            List<ByteBuffer> records = new ArrayList<>(1);
            while (frame.hasRemaining()) {
                records.add(wrap(frame));
            }
            return records.toArray(new ByteBuffer[0]);
        }

        private ByteBuffer wrap(ByteBuffer plain) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(plain, out);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("the TLS session to " + socket.getRemoteAddress() + " is " + r.getStatus());
            }
            out.flip();
            return out;
        }

        /**
         * Unwraps what came in: the receiver sends only TLS's own records (session tickets, key
         * updates, its close), answered here when TLS asks for an answer.
         */
        @Override
        boolean readInbound(Lock lock) throws IOException {
            netIn = roomFor(netIn, 1024);
            if (socket.read(netIn) < 0) {
                return false;
            }
            for (int records = 0; records < 64; records++) { // bounded: a read holds at most a few records
                netIn.flip();
                appIn.clear();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    appIn = ByteBuffer.allocate(appIn.capacity() * 2);
                    continue;
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runTasks(engine);
                    hs = engine.getHandshakeStatus();
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    lock.lock();
                    try {
                        writeWire(wrap(NOTHING));
                    } finally {
                        lock.unlock();
                    }
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || netIn.position() == 0) {
                    return true;
                }
            }
            return true;
        }
    }
}
