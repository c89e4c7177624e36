package io.etcdj.raft;

import io.etcdj.raft.pb.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded random schedule of events over a {@link Network}: ticks, Ready handling, message
 * delivery in random order, message loss, proposals, partitions, crashes with restarts and log
 * compaction. After every event the given {@link SafetyChecker} runs. Deterministic per seed.
 */
final class RandomSchedule {
  private final Network net;
  private final SplittableRandom rnd;
  private final SafetyChecker checker;
  private final long[] ids;
  private int proposals;
  private int reads;

  RandomSchedule(long seed, int members) {
    this.ids = new long[members];
    for (int i = 0; i < members; i++) {
      ids[i] = i + 1;
    }
    this.net = Network.builder().voters(ids).seed(seed)
        // odd seeds run without pre-vote and check-quorum: more disruptive elections
        .configure(b -> b.electionTick(10).heartbeatTick(2).maxSizePerMsg(64).maxInflightMsgs(4)
            .preVote(seed % 2 == 0).checkQuorum(seed % 2 == 0))
        .build();
    this.rnd = new SplittableRandom(seed);
    this.checker = new SafetyChecker(net);
  }

  Network network() {
    return net;
  }

  SafetyChecker checker() {
    return checker;
  }

  void run(int events) {
    for (int i = 0; i < events; i++) {
      step();
      checker.check();
    }
  }

  /** Heals every fault and runs until every member applied the same, non-empty history. */
  void settle() {
    for (long id : ids) {
      if (net.isDown(id)) {
        net.restart(id);
      }
    }
    net.heal();
    for (int round = 0; round < 400; round++) {
      net.tickAll();
      net.stabilize();
      checker.check();
      if (round % 50 == 0 && !net.applied(ids[0]).contains("final")) {
        for (long id : ids) {
          if (net.role(id) == StateRole.LEADER) {
            try {
              net.propose(id, "final");
            } catch (ProposalDroppedException e) {
              // e.g. a leadership transfer is under way: retried later
            }
          }
        }
      }
      if (converged()) {
        return;
      }
    }
    throw new AssertionError("group did not converge after healing: " + describe());
  }

  private boolean converged() {
    List<String> first = net.applied(ids[0]);
    if (!first.contains("final")) {
      return false;
    }
    for (long id : ids) {
      if (!net.applied(id).equals(first)) {
        return false;
      }
    }
    return true;
  }

  String describe() {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      sb.append("\n  ").append(id).append(net.isDown(id) ? " DOWN " : " ").append(net.role(id)).append(" term=").append(net.term(id))
          .append(" commit=").append(net.committed(id)).append(" applied=").append(net.applied(id));
    }
    return sb.toString();
  }

  private void step() {
    int dice = rnd.nextInt(1000);
    long id = ids[rnd.nextInt(ids.length)];
    if (dice < 90) {
      net.tickAll();
    } else if (dice < 94) {
      isolateLeader();
    } else if (dice < 400) {
      net.process(id);
    } else if (dice < 850) {
      deliverRandom(false);
    } else if (dice < 870) {
      deliverRandom(true);
    } else if (dice < 890) {
      if (!net.isDown(id)) {
        // Adversarial: half of the reads go to the member that believes it leads in the oldest
        // term, i.e. to a deposed leader whenever one still thinks it leads.
        long reader = id;
        if (rnd.nextBoolean()) {
          for (long x : ids) {
            if (!net.isDown(x) && net.role(x) == StateRole.LEADER
                && (reader == id || net.term(x) < net.term(reader))) {
              reader = x;
            }
          }
        }
        String ctx = "read-" + (reads++);
        checker.readIssued(ctx);
        net.readIndex(reader, ctx);
      }
    } else if (dice < 893) {
      if (!net.isDown(id)) {
        net.node(id).transferLeader(ids[rnd.nextInt(ids.length)]);
      }
    } else if (dice < 964) {
      if (!net.isDown(id)) {
        try {
          net.propose(id, "v" + (proposals++));
        } catch (ProposalDroppedException e) {
          // no leader known: fine
        }
      }
    } else if (dice < 967) {
      Set<Long> side = new HashSet<>();
      for (long x : ids) {
        if (rnd.nextBoolean()) {
          side.add(x);
        }
      }
      Set<Long> other = new HashSet<>();
      for (long x : ids) {
        if (!side.contains(x)) {
          other.add(x);
        }
      }
      net.heal();
      net.partition(side, other);
    } else if (dice < 969) {
      net.heal(); // rare: partitions last long enough for new leaders to commit
    } else if (dice < 974) {
      if (!net.isDown(id) && downCount() < (ids.length - 1) / 2) {
        net.crash(id); // keep a majority alive most of the time
      }
    } else if (dice < 990) {
      for (long x : ids) {
        if (net.isDown(x)) {
          net.restart(x);
          break;
        }
      }
    } else {
      if (!net.isDown(id)) {
        long applied = net.raft(id).log.applied();
        long first = net.storages.get(id).firstIndex();
        if (applied > first + 2 && !net.node(id).readyOutstanding()) {
          net.compact(id, applied - 1);
        }
      }
    }
  }

  private void isolateLeader() {
    for (long x : ids) {
      if (!net.isDown(x) && net.role(x) == StateRole.LEADER) {
        net.isolate(x);
        return;
      }
    }
  }

  private int downCount() {
    int n = 0;
    for (long x : ids) {
      if (net.isDown(x)) {
        n++;
      }
    }
    return n;
  }

  private void deliverRandom(boolean drop) {
    if (net.queue.isEmpty()) {
      return;
    }
    Message m = net.queue.remove(rnd.nextInt(net.queue.size()));
    if (drop) {
      net.lose(m);
    } else {
      net.deliver(m);
    }
  }

  List<Long> idList() {
    List<Long> out = new ArrayList<>();
    for (long id : ids) {
      out.add(id);
    }
    return out;
  }
}
