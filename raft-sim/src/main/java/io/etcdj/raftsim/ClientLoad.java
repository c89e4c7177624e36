package io.etcdj.raftsim;

import io.etcdj.raft.ProposalDroppedException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clients of the group: a stream of writes (proposals, mostly to the node believed to lead) and
 * a stream of ReadIndex reads (to any node), both running for the whole seed; and, after each
 * heal, the liveness probe that keeps proposing the round's marker until it commits.
 */
final class ClientLoad {
    private final Simulation sim;
    private final SplittableRandom random;
    private long nextWriteId = 1;
    private long nextReadId = 1;

    ClientLoad(Simulation sim, SplittableRandom random) {
        this.sim = sim;
        this.random = random;
    }

    void start() {
        scheduleWrite();
        scheduleRead();
    }

    private SimNode target(double leaderBias) {
        SimNode leader = sim.leader();
        if (leader != null && random.nextDouble() < leaderBias) {
            return leader;
        }
        List<SimNode> running = sim.runningNodes();
        return running.isEmpty() ? null : running.get(random.nextInt(running.size()));
    }

    private void scheduleWrite() {
        sim.schedule(sim.now() + 5 + random.nextInt(60), new Action("write") {
            @Override
            String act() {
                scheduleWrite();
                SimNode node = target(0.7);
                if (node == null) {
                    return "no node running";
                }
                long id = nextWriteId++;
                return "w" + id + " at n" + node.id + propose(node, () -> node.raft.propose(Payloads.write(id)));
            }
        });
    }

    private void scheduleRead() {
        sim.schedule(sim.now() + 10 + random.nextInt(200), new Action("read") {
            @Override
            String act() {
                scheduleRead();
                SimNode node = target(0.3);
                if (node == null) {
                    return "no node running";
                }
                long id = nextReadId++;
                long lowerBound = sim.highestKnownCommit();
                sim.reads.readStarted(id, lowerBound);
                node.raft.readIndex(Payloads.readContext(id));
                sim.touched(node);
                return "r" + id + " at n" + node.id + " (committed at start: " + lowerBound + ")";
            }
        });
    }

    /** Proposes the liveness marker of {@code round} now and every half second until it commits. */
    void probeLiveness(long round) {
        probeLiveness(round, 1);
    }

    private void probeLiveness(long round, long delay) {
        sim.schedule(sim.now() + delay, new Action("liveness-probe") {
            @Override
            String act() {
                if (!sim.livenessPending(round)) {
                    return "round " + round + " done";
                }
                probeLiveness(round, 500);
                SimNode node = target(1.0);
                if (node == null) {
                    return "no node running";
                }
                return "marker " + round + " at n" + node.id
                        + propose(node, () -> node.raft.propose(Payloads.marker(round)));
            }
        });
    }

    private String propose(SimNode node, Runnable proposal) {
        try {
            proposal.run();
            sim.touched(node);
            return "";
        } catch (ProposalDroppedException e) {
            return " (dropped: " + e.getMessage() + ")";
        }
    }

    /** An event whose description is what it did. */
    abstract static class Action extends Event {
        private final String name;
        private String outcome = "";

        Action(String name) {
            this.name = name;
        }

        abstract String act();

        @Override
        final void run() {
            outcome = act();
        }

        @Override
        String describe() {
            return name + " " + outcome;
        }
    }
}
