package io.etcdj.robustness.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder: accepts on {@code listen}, dials {@code target}, and pumps bytes both ways
 * through the {@link LinkFault}s its {@link ConnectionRouter} picks for each connection.
 *
 * <p>Each connection has two pumps (upstream, downstream); a pump is a reader thread that applies
 * blackhole/drop and stamps each chunk with its delivery time, and a writer thread that delivers
 * chunks in order at those times. Delivery times never decrease, so delay keeps byte order.
 *
 * <p>The router sees the first bytes the dialer sends (up to the end of an HTTP header block,
 * 8 KiB, or {@link #SNIFF_TIMEOUT_MILLIS}); those bytes are then forwarded as any others.
 */
public final class PeerLinkProxy implements Closeable {

    static final int SNIFF_TIMEOUT_MILLIS = 500;
    private static final int CHUNK = 16 * 1024;

    private final InetSocketAddress target;
    private final ConnectionRouter router;
    private final ServerSocket server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    public PeerLinkProxy(InetSocketAddress listen, InetSocketAddress target, ConnectionRouter router) throws IOException {
        this.target = target;
        this.router = router;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen);
        this.acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listen);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy where every connection uses the same two faults. */
    public static PeerLinkProxy fixed(InetSocketAddress listen, InetSocketAddress target,
                                      LinkFault upstream, LinkFault downstream) throws IOException {
        ConnectionRouter.Route route = new ConnectionRouter.Route(upstream, downstream);
        return new PeerLinkProxy(listen, target, first -> route);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Closes every open connection (both sides); new ones are still accepted. */
    public void closeConnections() {
        for (Connection c : connections) {
            c.close();
        }
    }

    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        closeConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> open(client), "proxy-open");
            t.setDaemon(true);
            t.start();
        }
    }

    private void open(Socket client) {
        try {
            client.setTcpNoDelay(true);
            byte[] first = sniff(client);
            ConnectionRouter.Route route = router.route(first, client.getInetAddress());
            if (route.upstream().dropNewConnection() || closed) {
                client.close();
                return;
            }
            Socket upstream = new Socket();
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 2_000);
            Connection c = new Connection(client, upstream);
            connections.add(c);
            c.start(first, route);
        } catch (IOException e) {
            quietly(client);
        }
    }

    private static byte[] sniff(Socket client) throws IOException {
        client.setSoTimeout(SNIFF_TIMEOUT_MILLIS);
        byte[] buf = new byte[8 * 1024];
        int n = 0;
        InputStream in = client.getInputStream();
        try {
            while (n < buf.length && !headerComplete(buf, n)) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (SocketTimeoutException e) {
            // the dialer did not speak first (or is slow): route on what we have
        }
        client.setSoTimeout(0);
        return Arrays.copyOf(buf, n);
    }

    private static boolean headerComplete(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** One proxied connection: two sockets, two pumps. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start(byte[] first, ConnectionRouter.Route route) throws IOException {
            new Pump("up", client.getInputStream(), upstream.getOutputStream(), route.upstream(), first).start();
            new Pump("down", upstream.getInputStream(), client.getOutputStream(), route.downstream(), new byte[0]).start();
        }

        void close() {
            connections.remove(this);
            quietly(client);
            quietly(upstream);
        }

        /** Moves bytes one way through a fault. */
        private final class Pump {
            private record Chunk(byte[] bytes, long deliverAt) {
            }

            private static final Chunk END = new Chunk(new byte[0], 0);

            private final String name;
            private final InputStream in;
            private final OutputStream out;
            private final LinkFault fault;
            private final byte[] first;
            private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            private long lastDeliverAt;
            private boolean lostBytes;

            Pump(String name, InputStream in, OutputStream out, LinkFault fault, byte[] first) {
                this.name = name;
                this.in = in;
                this.out = out;
                this.fault = fault;
                this.first = first;
            }

            void start() {
                Thread reader = new Thread(this::readLoop, "proxy-" + name + "-read");
                Thread writer = new Thread(this::writeLoop, "proxy-" + name + "-write");
                reader.setDaemon(true);
                writer.setDaemon(true);
                reader.start();
                writer.start();
            }

            private void readLoop() {
                try {
                    if (first.length > 0 && !offer(first)) {
                        return;
                    }
                    byte[] buf = new byte[CHUNK];
                    while (true) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        if (!offer(Arrays.copyOf(buf, n))) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // the connection went away
                }
                queue.add(END);
            }

            /** @return false when the connection was closed because of a fault */
            private boolean offer(byte[] bytes) {
                if (fault.blackholed()) {
                    lostBytes = true;
                    return true;
                }
                if (lostBytes || fault.dropNextChunk()) {
                    close();   // the stream is corrupt: reset it
                    return false;
                }
                long at = Math.max(lastDeliverAt, System.nanoTime() + fault.nextDelayNanos());
                lastDeliverAt = at;
                queue.add(new Chunk(bytes, at));
                return true;
            }

            private void writeLoop() {
                try {
                    while (true) {
                        Chunk c = queue.poll(1, TimeUnit.SECONDS);
                        if (c == null) {
                            if (!connections.contains(Connection.this)) {
                                return;
                            }
                            continue;
                        }
                        if (c == END) {
                            break;
                        }
                        long wait;
                        while ((wait = c.deliverAt - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(c.bytes);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the connection went away
                }
                close();
            }
        }
    }
}
