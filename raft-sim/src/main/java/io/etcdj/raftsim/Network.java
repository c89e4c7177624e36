package io.etcdj.raftsim;

import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The simulated network: per directed link, up or cut; globally, a drop rate, a duplication rate
 * and a latency profile (with occasional long delays, which reorder messages). A message is
 * checked against the link when sent and again when it arrives, so a partition also catches
 * messages already in flight. Like etcd's transport, a snapshot send reports FINISH or FAILURE to
 * the sender, an unreachable peer is reported when a send fails, and a receiver refuses messages
 * from members it has seen removed. A snapshot is sent as etcd's server sends it: rebuilt from the
 * sender's current applied state and configuration when that is newer than the stored snapshot
 * raft picked (so a member added after the last snapshot finds itself in the configuration).
 */
final class Network {
    static final int MAX_IDS = 16;

    private final Simulation sim;
    private final SplittableRandom random;
    private final boolean[][] cut = new boolean[MAX_IDS][MAX_IDS];
    private double dropRate;
    private double duplicateRate;
    private int maxDelay = 10;
    private double longDelayRate;

    Network(Simulation sim, SplittableRandom random) {
        this.sim = sim;
        this.random = random;
    }

    boolean linkUp(long from, long to) {
        return !cut[(int) from][(int) to];
    }

    void cut(long from, long to) {
        cut[(int) from][(int) to] = true;
    }

    /** Repairs every link and makes the network reliable and fast again. */
    void healAll() {
        for (boolean[] row : cut) {
            Arrays.fill(row, false);
        }
        dropRate = 0;
        duplicateRate = 0;
        maxDelay = 10;
        longDelayRate = 0;
    }

    /** Repairs every link but keeps the loss/duplication/latency profile. */
    void healLinks() {
        for (boolean[] row : cut) {
            Arrays.fill(row, false);
        }
    }

    String degrade() {
        dropRate = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.3;
        duplicateRate = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.15;
        maxDelay = 1 + random.nextInt(random.nextBoolean() ? 20 : 150);
        longDelayRate = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.1;
        return String.format("drop=%.2f dup=%.2f maxDelay=%dms longDelay=%.2f", dropRate, duplicateRate, maxDelay,
                longDelayRate);
    }

    /** Hands a message from {@code sender} to the network. */
    void send(SimNode sender, Message m) {
        long to = m.getTo();
        if (to == sender.id || to <= 0 || to >= MAX_IDS) {
            return;
        }
        if (!linkUp(sender.id, to)) {
            failed(sender, m, true);
            return;
        }
        if (dropRate > 0 && random.nextDouble() < dropRate) {
            failed(sender, m, false);
            return;
        }
        if (m.getType() == MessageType.MsgSnap) {
            m = sender.mergedSnapshotMessage(m);
        }
        int copies = duplicateRate > 0 && random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            sim.schedule(sim.now() + delay(), new Delivery(sender, m));
        }
    }

    private long delay() {
        long d = 1 + random.nextInt(maxDelay);
        if (longDelayRate > 0 && random.nextDouble() < longDelayRate) {
            d += random.nextInt(2_000);
        }
        return d;
    }

    /** The message was lost. Snapshot sends and broken links are reported back to the sender. */
    private void failed(SimNode sender, Message m, boolean linkDown) {
        if (m.getType() == MessageType.MsgSnap) {
            reportSnapshotLater(sender, m.getTo(), SnapshotStatus.FAILURE);
        } else if (linkDown && sender.running()) {
            sender.raft.reportUnreachable(m.getTo());
        }
    }

    private void reportSnapshotLater(SimNode sender, long to, SnapshotStatus status) {
        int token = sender.incarnation;
        sim.schedule(sim.now() + 1 + random.nextInt(maxDelay), new Event() {
            @Override
            void run() {
                if (sender.running() && sender.incarnation == token) {
                    sender.raft.reportSnapshot(to, status);
                    sim.touched(sender);
                }
            }

            @Override
            String describe() {
                return "reportSnapshot n" + sender.id + " peer=" + to + " " + status;
            }
        });
    }

    private final class Delivery extends Event {
        private final SimNode sender;
        private final Message message;
        private String outcome = "";

        Delivery(SimNode sender, Message message) {
            this.sender = sender;
            this.message = message;
        }

        @Override
        void run() {
            SimNode dest = sim.node(message.getTo());
            if (dest == null || !dest.running()) {
                outcome = " (dropped: destination down)";
            } else if (!linkUp(message.getFrom(), message.getTo())) {
                outcome = " (dropped: link cut)";
            } else if (dest.stalled(sim.now())) {
                outcome = " (destination stalled; delivered when it resumes)";
                sim.schedule(dest.pausedUntil + 1 + random.nextInt(5), new Delivery(sender, message));
                return;
            } else if (dest.refusesMessagesFrom(message.getFrom())) {
                outcome = " (refused: sender was removed)";
                SimNode removedSender = sim.node(message.getFrom());
                if (removedSender != null && message.getFrom() != message.getTo()) {
                    sim.retire(removedSender);
                }
            } else {
                try {
                    dest.raft.step(message);
                } catch (ProposalDroppedException e) {
                    outcome = " (proposal dropped)";
                }
                sim.touched(dest);
                if (message.getType() == MessageType.MsgSnap) {
                    reportSnapshotLater(sender, message.getTo(), SnapshotStatus.FINISH);
                }
                return;
            }
            if (message.getType() == MessageType.MsgSnap) {
                reportSnapshotLater(sender, message.getTo(), SnapshotStatus.FAILURE);
            }
        }

        @Override
        String describe() {
            return "deliver " + MessageText.of(message) + outcome;
        }
    }
}
