package io.etcdj.embed;

import io.etcdj.server.EtcdMember;
import io.etcdj.server.MemberSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of an {@link EmbeddedEtcdCluster}, running inside this JVM on its own loopback ports
 * and data dir. It can be stopped and started again on the same data dir (a crash-free restart, as
 * {@code systemctl restart etcd} would do), e.g. to test a client's fail-over.
 *
 * <p>Invariant: at most one {@link EtcdMember} is open on this member's data dir at a time.
 */
public final class EmbeddedMember {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMember.class);

    private final MemberSettings settings;
    private final URI clientEndpoint;
    private final URI peerEndpoint;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private EtcdMember running;

    EmbeddedMember(MemberSettings settings, URI clientEndpoint, URI peerEndpoint) {
        this.settings = settings;
        this.clientEndpoint = clientEndpoint;
        this.peerEndpoint = peerEndpoint;
    }

    /** The member's --name. */
    public String name() {
        return settings.name();
    }

    /** Where clients connect, e.g. {@code http://127.0.0.1:40123} (gRPC and HTTP on one port, as etcd). */
    public URI clientEndpoint() {
        return clientEndpoint;
    }

    /** Where the other members connect. */
    public URI peerEndpoint() {
        return peerEndpoint;
    }

    /** The member's --data-dir. */
    public Path dataDir() {
        return settings.dataDir();
    }

    /** The member ID etcd would give it (as {@code etcdctl member list} prints it, in hex). */
    public synchronized String memberId() {
        if (running == null) {
            throw new IllegalStateException(name() + " is stopped");
        }
        return Long.toHexString(running.memberId());
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /**
     * The error that stopped this member's raft loop or applier, if one did (a real etcd would
     * have exited). The member no longer serves writes after one.
     */
    public Optional<Throwable> fatalError() {
        return Optional.ofNullable(fatal.get());
    }

    /** Opens the data dir and starts serving; returns without waiting for the cluster (see {@link #awaitReady}). */
    public synchronized void start() {
        if (running != null) {
            throw new IllegalStateException(name() + " is already running");
        }
        EtcdMember member;
        try {
            member = EtcdMember.open(settings, this::fatal, this::removedFromCluster);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + name() + " on " + dataDir(), e);
        }
        try {
            member.start();
        } catch (IOException | RuntimeException e) {
            member.close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot start " + name(), io)
                    : (RuntimeException) e;
        }
        running = member;
    }

    /** Waits until this member has joined its cluster and serves clients (etcd's "ready to serve"). */
    public void awaitReady(Duration timeout) {
        CompletableFuture<Void> ready;
        synchronized (this) {
            if (running == null) {
                throw new IllegalStateException(name() + " is stopped");
            }
            ready = running.ready();
        }
        try {
            ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name() + " did not join its cluster within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name() + " failed to join its cluster", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name(), e);
        }
    }

    /**
     * Stops serving as SIGTERM stops etcd: a leader hands leadership over, then the WAL and backend
     * are closed and the data dir unlocked. The data stays; {@link #start} resumes from it.
     */
    public synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Stops as the whole cluster does: no leadership hand-over, since every other member is stopping too. */
    synchronized void stopWithCluster() {
        if (running != null) {
            running.closeWithoutLeadershipHandOff();
            running = null;
        }
    }

    private void fatal(Throwable t) {
        fatal.compareAndSet(null, t);
        log.error("embedded etcd member {} failed; it no longer serves writes", name(), t);
    }

    /** Removed through MemberRemove: etcd stops; this member does too, on a thread of its own. */
    private void removedFromCluster() {
        Thread stopper = new Thread(this::stop, "removed-" + name());
        stopper.setDaemon(true);
        stopper.start();
    }
}
