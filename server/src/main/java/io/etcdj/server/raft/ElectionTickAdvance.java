package io.etcdj.server.raft;

import io.etcdj.server.config.GoDuration;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's initial election tick advance: a member that has just started need not sit through a
 * whole election timeout before its first election.
 *
 * <ul>
 *   <li>In a one-member cluster the election ticks are fast-forwarded at once to one tick before
 *       the timeout, whatever {@code --initial-election-tick-advance} says (nobody else can lead).</li>
 *   <li>Otherwise, with the flag on, for up to {@link #WAIT} the member watches its peer links on
 *       every tick; once links to more than one peer are up it fast-forwards to two ticks before the
 *       timeout, leaving a live leader two heartbeats to be heard first. With too few links it
 *       does nothing: advancing would only start elections nobody can win.</li>
 * </ul>
 *
 * <p>Runs on the raft-loop thread (a {@link RaftListener} woken by ticks); the ticks themselves
 * are queued on the loop like any other input.
 */
public final class ElectionTickAdvance implements RaftListener {
    private static final Logger log = LoggerFactory.getLogger(ElectionTickAdvance.class);
    /** How long to wait for peer links (etcd waits its connection read timeout, 5 s). */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final IntConsumer advanceTicks;
    private final String memberId;
    private final int electionTicks;
    private final Duration tick;
    private final IntSupplier connectedPeers;
    private int ticksLeft;

    /**
     * Starts the advance for a member of {@code clusterSize} members; call once, after the loop
     * started.
     *
     * @param connectedPeers how many peers this member's links currently reach
     * @param advanceTicks ticks the node that many times at once ({@link RaftLoop#advanceTicks})
     * @param tickListeners registers a listener for the loop's ticks ({@link RaftLoop#addListener})
     */
    public static void begin(long memberId, int clusterSize, boolean enabled, int electionTicks, Duration tick,
                             IntSupplier connectedPeers, IntConsumer advanceTicks,
                             Consumer<RaftListener> tickListeners) {
        ElectionTickAdvance a = new ElectionTickAdvance(advanceTicks, Long.toHexString(memberId), electionTicks, tick,
                connectedPeers);
        if (clusterSize == 1) {
            a.advance(electionTicks - 1, "started as single-node; fast-forwarding election ticks", -1);
        } else if (!enabled) {
            log.atInfo().setMessage("skipping initial election tick advance").addKeyValue("local-member-id", a.memberId)
                    .addKeyValue("election-ticks", electionTicks).log();
        } else {
            log.atInfo().setMessage("starting initial election tick advance").addKeyValue("election-ticks", electionTicks)
                    .log();
            tickListeners.accept(a);
        }
    }

    private ElectionTickAdvance(IntConsumer advanceTicks, String memberId, int electionTicks, Duration tick,
                                IntSupplier connectedPeers) {
        this.advanceTicks = advanceTicks;
        this.memberId = memberId;
        this.electionTicks = electionTicks;
        this.tick = tick;
        this.connectedPeers = connectedPeers;
        this.ticksLeft = (int) Math.max(1, WAIT.toMillis() / Math.max(1, tick.toMillis()));
    }

    @Override
    public void onTick() {
        if (ticksLeft <= 0) {
            return;
        }
        int peers = connectedPeers.getAsInt();
        if (peers > 1) {
            ticksLeft = 0;
            advance(electionTicks - 2, "initialized peer connections; fast-forwarding election ticks", peers);
        } else {
            ticksLeft--;
        }
    }

    private void advance(int ticks, String message, int activePeers) {
        if (ticks <= 0) {
            return;
        }
        var line = log.atInfo().setMessage(message).addKeyValue("local-member-id", memberId)
                .addKeyValue("forward-ticks", ticks)
                .addKeyValue("forward-duration", GoDuration.format(tick.multipliedBy(ticks)))
                .addKeyValue("election-ticks", electionTicks)
                .addKeyValue("election-timeout", GoDuration.format(tick.multipliedBy(electionTicks)));
        if (activePeers >= 0) {
            line = line.addKeyValue("active-remote-members", activePeers);
        }
        line.log();
        advanceTicks.accept(ticks);
    }
}
