package io.etcdj.raftsim;

import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The fault and operations generator of the chaos phase: every few tens to hundreds of simulated
 * milliseconds it picks one action — crash or restart a member, partition the network (symmetric,
 * isolating, or one-way), heal links, degrade the network (loss, duplication, long delays that
 * reorder), add a learner or voter, remove a member, promote a learner, transfer leadership,
 * snapshot and compact a member's log, force a campaign, or stall a member (a GC pause or a stuck
 * disk: no ticks, no deliveries and no completed writes until it resumes).
 */
final class Nemesis {
    private enum Action {
        CRASH(4), RESTART(6), PARTITION(3), ISOLATE(3), ONE_WAY(2), HEAL_LINKS(6), DEGRADE(3),
        ADD_LEARNER(2), ADD_VOTER(2), REMOVE(2), PROMOTE(2), TRANSFER(3), SNAPSHOT(8), CAMPAIGN(1), STALL(3);

        final int weight;

        Action(int weight) {
            this.weight = weight;
        }
    }

    private static final int TOTAL_WEIGHT;

    static {
        int total = 0;
        for (Action a : Action.values()) {
            total += a.weight;
        }
        TOTAL_WEIGHT = total;
    }

    private final Simulation sim;
    private final SplittableRandom random;
    private int generation;
    private long nextConfChangeId = 1;

    Nemesis(Simulation sim, SplittableRandom random) {
        this.sim = sim;
        this.random = random;
    }

    void start() {
        generation++;
        scheduleNext(generation);
    }

    void stop() {
        generation++;
    }

    private void scheduleNext(int gen) {
        sim.schedule(sim.now() + 50 + random.nextInt(450), new ActionEvent("nemesis") {
            @Override
            String act() {
                if (gen != generation) {
                    return "stopped";
                }
                scheduleNext(gen);
                return perform(pick());
            }
        });
    }

    private Action pick() {
        int r = random.nextInt(TOTAL_WEIGHT);
        for (Action a : Action.values()) {
            r -= a.weight;
            if (r < 0) {
                return a;
            }
        }
        throw new AssertionError();
    }

    private String perform(Action action) {
        List<SimNode> running = sim.runningNodes();
        switch (action) {
            case CRASH: {
                if (running.isEmpty()) {
                    return "crash: nothing running";
                }
                List<SimNode> writing = running.stream().filter(SimNode::writing).toList();
                SimNode victim = !writing.isEmpty() && random.nextBoolean()
                        ? writing.get(random.nextInt(writing.size())) // crash in the middle of a write
                        : running.get(random.nextInt(running.size()));
                return "crash n" + victim.id + sim.crash(victim);
            }
            case RESTART: {
                List<SimNode> down = new ArrayList<>();
                for (SimNode n : sim.nodes()) {
                    if (n.restartable()) {
                        down.add(n);
                    }
                }
                if (down.isEmpty()) {
                    return "restart: nothing down";
                }
                SimNode node = down.get(random.nextInt(down.size()));
                sim.restart(node);
                return "restart n" + node.id + " from disk (log " + node.disk.firstIndex() + ".." + node.disk.lastIndex()
                        + ", commit " + node.durableHardState().getCommit() + ")";
            }
            case PARTITION: {
                TreeSet<Long> side = new TreeSet<>();
                TreeSet<Long> other = new TreeSet<>();
                for (SimNode n : sim.nodes()) {
                    (random.nextBoolean() ? side : other).add(n.id);
                }
                for (long a : side) {
                    for (long b : other) {
                        sim.network.cut(a, b);
                        sim.network.cut(b, a);
                    }
                }
                return "partition " + side + " | " + other;
            }
            case ISOLATE: {
                List<SimNode> all = new ArrayList<>();
                sim.nodes().forEach(all::add);
                SimNode lone = all.get(random.nextInt(all.size()));
                for (SimNode n : all) {
                    if (n != lone) {
                        sim.network.cut(lone.id, n.id);
                        sim.network.cut(n.id, lone.id);
                    }
                }
                return "isolate n" + lone.id;
            }
            case ONE_WAY: {
                List<SimNode> all = new ArrayList<>();
                sim.nodes().forEach(all::add);
                SimNode a = all.get(random.nextInt(all.size()));
                SimNode b = all.get(random.nextInt(all.size()));
                if (a == b) {
                    return "one-way cut: picked the same node";
                }
                sim.network.cut(a.id, b.id);
                return "one-way cut n" + a.id + " -> n" + b.id;
            }
            case HEAL_LINKS:
                sim.network.healLinks();
                return "heal all links";
            case DEGRADE:
                return "network " + sim.network.degrade();
            case ADD_LEARNER:
            case ADD_VOTER: {
                long id = sim.spareOrNewMember();
                if (id < 0) {
                    return "add: no ids left";
                }
                ConfChangeType type = action == Action.ADD_LEARNER
                        ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode;
                return proposeConfChange(type, id);
            }
            case REMOVE: {
                ConfState conf = sim.committedConf();
                List<Long> candidates = new ArrayList<>(conf.getLearnersList());
                if (conf.getVotersCount() > 2) {
                    candidates.addAll(conf.getVotersList());
                }
                if (candidates.isEmpty()) {
                    return "remove: nobody removable";
                }
                return proposeConfChange(ConfChangeType.ConfChangeRemoveNode,
                        candidates.get(random.nextInt(candidates.size())));
            }
            case PROMOTE: {
                ConfState conf = sim.committedConf();
                if (conf.getLearnersCount() == 0) {
                    return "promote: no learners";
                }
                return proposeConfChange(ConfChangeType.ConfChangeAddNode,
                        conf.getLearners(random.nextInt(conf.getLearnersCount())));
            }
            case TRANSFER: {
                SimNode leader = sim.leader();
                ConfState conf = sim.committedConf();
                if (leader == null || conf.getVotersCount() == 0) {
                    return "transfer: no leader";
                }
                long to = conf.getVoters(random.nextInt(conf.getVotersCount()));
                leader.raft.transferLeader(to);
                sim.touched(leader);
                return "transfer leadership n" + leader.id + " -> n" + to;
            }
            case SNAPSHOT: {
                if (running.isEmpty()) {
                    return "snapshot: nothing running";
                }
                SimNode node = running.get(random.nextInt(running.size()));
                return "snapshot n" + node.id + ": " + node.snapshotAndCompact(random.nextInt(3) == 0 ? 0 : random.nextInt(8));
            }
            case STALL: {
                if (running.isEmpty()) {
                    return "stall: nothing running";
                }
                SimNode node = running.get(random.nextInt(running.size()));
                long millis = 50 + random.nextInt(random.nextBoolean() ? 500 : 4_000);
                node.pausedUntil = sim.now() + millis;
                return "stall n" + node.id + " for " + millis + "ms (no ticks, deliveries or disk writes)";
            }
            case CAMPAIGN: {
                if (running.isEmpty()) {
                    return "campaign: nothing running";
                }
                SimNode node = running.get(random.nextInt(running.size()));
                node.raft.campaign();
                sim.touched(node);
                return "campaign n" + node.id;
            }
            default:
                throw new AssertionError(action);
        }
    }

    private String proposeConfChange(ConfChangeType type, long nodeId) {
        SimNode via = sim.leader();
        List<SimNode> running = sim.runningNodes();
        if (via == null || random.nextInt(5) == 0) {
            if (running.isEmpty()) {
                return "conf change: nothing running";
            }
            via = running.get(random.nextInt(running.size()));
        }
        ConfChange cc = ConfChange.newBuilder().setId(nextConfChangeId++).setType(type).setNodeId(nodeId).build();
        String what = "propose " + type.name().replace("ConfChange", "") + " n" + nodeId + " via n" + via.id;
        try {
            via.raft.proposeConfChange(cc);
            sim.touched(via);
            return what;
        } catch (ProposalDroppedException e) {
            return what + " (dropped)";
        }
    }
}
