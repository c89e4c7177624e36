package io.etcdj.embed;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * etcd members running inside this JVM, forming one cluster: each on free ports of 127.0.0.1
 * and its own data dir, configured with the same keys as bin/etcd's flags.
 *
 * <pre>{@code
 * try (EmbeddedEtcdCluster etcd = EmbeddedEtcdCluster.builder().members(3)
 *         .flag("heartbeat-interval", "50").flag("election-timeout", "500").start()) {
 *     Client client = Client.builder().endpoints(etcd.clientEndpoints().toArray(URI[]::new)).build();
 *     ...
 * }
 * }</pre>
 *
 * {@link Builder#start} returns once every member serves clients; {@link #close} stops every member
 * and deletes the data (unless a {@link Builder#dataDirectory} was given, which is kept).
 */
public final class EmbeddedEtcdCluster implements AutoCloseable {
    private final List<EmbeddedMember> members;
    private final Optional<Path> temporaryRoot;
    /** The --log-level this cluster set, put back on close. */
    private final Optional<EmbeddedLogLevel> logLevel;
    private boolean closed;

    private EmbeddedEtcdCluster(List<EmbeddedMember> members, Optional<Path> temporaryRoot,
                                Optional<EmbeddedLogLevel> logLevel) {
        this.members = List.copyOf(members);
        this.temporaryRoot = temporaryRoot;
        this.logLevel = logLevel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The members in the order of --initial-cluster (named m1, m2, ...). */
    public List<EmbeddedMember> members() {
        return members;
    }

    /** Member {@code i}, counting from 0. */
    public EmbeddedMember member(int i) {
        return members.get(i);
    }

    /** Every member's client URL, running or not, for a client's endpoint list. */
    public List<URI> clientEndpoints() {
        return members.stream().map(EmbeddedMember::clientEndpoint).toList();
    }

    /** The same endpoints, comma-separated, as etcdctl's --endpoints takes them. */
    public String clientEndpointList() {
        return String.join(",", clientEndpoints().stream().map(URI::toString).toList());
    }

    /** The fatal errors of members (raft loop or applier failures); empty while all is well. */
    public List<Throwable> fatalErrors() {
        List<Throwable> errors = new ArrayList<>();
        members.forEach(m -> m.fatalError().ifPresent(errors::add));
        return errors;
    }

    /**
     * Stops every member, all at once and without the leader's hand-over (no member would take
     * leadership), then deletes the temporary data dirs and puts back the io.etcdj loggers' level
     * if --log-level set it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CompletableFuture.allOf(members.stream()
                    .map(m -> CompletableFuture.runAsync(m::stopWithCluster, r -> {
                        Thread t = new Thread(r, "stop-" + m.name());
                        t.setDaemon(true);
                        t.start();
                    }))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            temporaryRoot.ifPresent(DataDirectories::deleteTree);
            logLevel.ifPresent(EmbeddedLogLevel::restore);
        }
    }

    /** What to start: how many members, with which flags, where their data goes. */
    public static final class Builder {
        private int size = 1;
        private final Map<String, String> flags = new LinkedHashMap<>();
        private Path dataDirectory;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** The number of members (1 by default; 3 for a cluster that survives one member's loss). */
        public Builder members(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one member, not " + count);
            }
            this.size = count;
            return this;
        }

        /**
         * A flag of bin/etcd for every member, by its name with or without the dashes, e.g.
         * {@code flag("snapshot-count", "1000")}, {@code flag("enable-v2", "true")},
         * {@code flag("auth-token", "jwt,...")}. Checked as etcd checks flags when the cluster starts.
         * The flags that place a member (name, data-dir, the URLs, initial-cluster and its state)
         * are the cluster's to choose; --cert-file or --auto-tls make the client URLs https, their
         * peer- forms the peer URLs.
         */
        public Builder flag(String name, String value) {
            flags.put(MemberCommandLine.key(name), value);
            return this;
        }

        /** Several flags at once, as {@link #flag} takes them. */
        public Builder flags(Map<String, String> more) {
            more.forEach(this::flag);
            return this;
        }

        /**
         * Keeps the members' data dirs ({@code <dir>/m1.etcd}, ...) under {@code dir} and leaves them
         * there on close. By default they go under a new temporary directory deleted on close.
         */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** How long {@link #start} waits for every member to serve (60 s by default). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts every member and waits until each has joined the cluster and serves clients.
         *
         * @throws IllegalArgumentException when etcd would refuse the flags (etcd's message)
         * @throws IllegalStateException when the cluster does not form within the start timeout
         */
        public EmbeddedEtcdCluster start() {
            Optional<Path> temporary = dataDirectory == null
                    ? Optional.of(DataDirectories.createTemporary()) : Optional.empty();
            Path root = temporary.orElse(dataDirectory);
            Map<String, URI> clients = new LinkedHashMap<>();
            Map<String, URI> peers = new LinkedHashMap<>();
            String clientScheme = MemberCommandLine.scheme(flags, false);
            String peerScheme = MemberCommandLine.scheme(flags, true);
            for (int i = 1; i <= size; i++) {
                clients.put("m" + i, URI.create(clientScheme + "://" + LoopbackPorts.HOST + ":" + LoopbackPorts.next()));
                peers.put("m" + i, URI.create(peerScheme + "://" + LoopbackPorts.HOST + ":" + LoopbackPorts.next()));
            }
            List<EmbeddedMember> members = new ArrayList<>();
            Optional<EmbeddedLogLevel> logLevel = Optional.empty();
            try {
                for (String name : clients.keySet()) {
                    List<String> args = MemberCommandLine.arguments(name, root.resolve(name + ".etcd"),
                            clients.get(name), peers.get(name), peers, flags);
                    members.add(new EmbeddedMember(MemberCommandLine.settings(args), clients.get(name), peers.get(name)));
                }
                logLevel = EmbeddedLogLevel.apply(Optional.ofNullable(flags.get("log-level"))); // checked by now
                for (EmbeddedMember m : members) {
                    m.start();
                }
                long deadline = System.nanoTime() + startTimeout.toNanos();
                for (EmbeddedMember m : members) {
                    m.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
                return new EmbeddedEtcdCluster(members, temporary, logLevel);
            } catch (RuntimeException | Error e) {
                new EmbeddedEtcdCluster(members, temporary, logLevel).close(); // what started, and the temporary data
                throw e;
            }
        }
    }
}
