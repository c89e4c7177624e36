package io.etcdj.robustness.proxy;

import java.util.Random;

/**
 * The faults currently applied to the bytes of ONE direction of a link: mutable at run time,
 * shared by every connection that carries that direction.
 *
 * <ul>
 *   <li>blackhole: bytes are read and thrown away; the connection stays open (a peer sees a silent
 *       link, as with a partition). A connection that lost bytes is corrupt, so it is closed as
 *       soon as the blackhole is lifted and traffic moves again.</li>
 *   <li>delay: each chunk is held {@code fixed + uniform[0, jitter)}; order is preserved.</li>
 *   <li>drop share of chunks: a dropped chunk corrupts the stream, so the connection is reset
 *       (a lossy link that kills connections); drop share of connections: new connections are
 *       closed at once.</li>
 * </ul>
 * All random choices come from one seeded {@link Random}, so a run can be replayed.
 */
public final class LinkFault {

    private final String name;
    private final Random random;
    private volatile boolean blackholed;
    private volatile long delayNanos;
    private volatile long jitterNanos;
    private volatile double dropChunkShare;
    private volatile double dropConnectionShare;

    public LinkFault(String name, long seed) {
        this.name = name;
        this.random = new Random(seed);
    }

    /** A link that never misbehaves (shared; do not set faults on it). */
    public static final LinkFault PASS = new LinkFault("pass", 0);

    public String name() {
        return name;
    }

    public LinkFault blackhole() {
        blackholed = true;
        return this;
    }

    /** Back to a clean link: no blackhole, no delay, no drops. */
    public LinkFault heal() {
        blackholed = false;
        delayNanos = 0;
        jitterNanos = 0;
        dropChunkShare = 0;
        dropConnectionShare = 0;
        return this;
    }

    public LinkFault delay(long fixedMillis, long jitterMillis) {
        this.delayNanos = fixedMillis * 1_000_000L;
        this.jitterNanos = jitterMillis * 1_000_000L;
        return this;
    }

    public LinkFault dropChunks(double share) {
        this.dropChunkShare = share;
        return this;
    }

    public LinkFault dropConnections(double share) {
        this.dropConnectionShare = share;
        return this;
    }

    public boolean blackholed() {
        return blackholed;
    }

    /** How long the next chunk is held, in nanoseconds. */
    long nextDelayNanos() {
        long jitter = jitterNanos;
        if (jitter <= 0) {
            return delayNanos;
        }
        synchronized (random) {
            return delayNanos + (long) (random.nextDouble() * jitter);
        }
    }

    boolean dropNextChunk() {
        return chance(dropChunkShare);
    }

    boolean dropNewConnection() {
        return chance(dropConnectionShare);
    }

    private boolean chance(double share) {
        if (share <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < share;
        }
    }

    @Override
    public String toString() {
        return name + (blackholed ? " blackholed" : "")
                + (delayNanos > 0 || jitterNanos > 0 ? " delay " + delayNanos / 1_000_000 + "+" + jitterNanos / 1_000_000 + "ms" : "")
                + (dropChunkShare > 0 ? " drop-chunks " + dropChunkShare : "")
                + (dropConnectionShare > 0 ? " drop-connections " + dropConnectionShare : "");
    }
}
