package io.etcdj.benchmark.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Peer;
import io.etcdj.raft.RaftConfig;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.Ready;
import io.etcdj.raft.StateRole;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Proposals committed per second through a 3-member raft group that lives entirely in memory:
 * no disk (each Ready is "persisted" into the member's MemoryStorage at once), no network (each
 * message is handed straight to the destination's step). This measures the consensus code alone —
 * an upper bound for what the server can get out of raft.
 *
 * <p>One thread drives everything: propose a batch on the leader, then run every member's Ready
 * cycle and deliver every message until the group is quiet, and count the entries the leader
 * applied. A warm-up run (for the JIT) precedes the measured one.
 *
 * <pre>bin/benchmark raft-inmemory [--seconds S] [--batch N] [--size BYTES] [--warmup S]</pre>
 */
public final class InMemoryRaftThroughput {
    private static final int MEMBERS = 3;
    private static final long COMPACT_EVERY = 50_000;

    private final RawNode[] nodes = new RawNode[MEMBERS + 1];
    private final MemoryStorage[] disks = new MemoryStorage[MEMBERS + 1];
    private final ConfState[] confStates = new ConfState[MEMBERS + 1];
    private final long[] applied = new long[MEMBERS + 1];
    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private long committedProposals;

    private InMemoryRaftThroughput() {
        List<Peer> peers = new ArrayList<>();
        for (long id = 1; id <= MEMBERS; id++) {
            peers.add(Peer.of(id));
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int id = 1; id <= MEMBERS; id++) {
            disks[id] = new MemoryStorage();
            confStates[id] = ConfState.getDefaultInstance();
            nodes[id] = new RawNode(RaftConfig.builder().id(id).storage(disks[id]).random(random.split()).build());
            nodes[id].bootstrap(peers);
        }
        settle();
        nodes[1].campaign();
        settle();
        if (nodes[1].status().softState().role() != StateRole.LEADER) {
            throw new IllegalStateException("member 1 did not become leader");
        }
    }

    public static void main(String[] args) {
        double seconds = 10;
        int batch = 64;
        int size = 256;
        double warmup = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: benchmark raft-inmemory [--seconds S] [--batch N] [--size BYTES] [--warmup S]");
                    System.exit(2);
                }
            }
        }
        if (warmup < 0) {
            warmup = Math.min(5, Math.max(1, seconds / 2));
        }
        ByteString payload = ByteString.copyFrom(new byte[size]);
        InMemoryRaftThroughput group = new InMemoryRaftThroughput();
        System.out.printf("raft-inmemory: 3 members, batch %d, %d-byte proposals; warming up %.1fs%n", batch, size, warmup);
        group.runFor(warmup, batch, payload);
        Result r = group.runFor(seconds, batch, payload);
        System.out.printf("raft-inmemory: %d proposals committed in %.2fs: %.0f proposals/s%n",
                r.proposals, r.seconds, r.proposals / r.seconds);
    }

    private record Result(long proposals, double seconds) {}

    private Result runFor(double seconds, int batch, ByteString payload) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long before = committedProposals;
        long now;
        do {
            for (int i = 0; i < batch; i++) {
                nodes[1].propose(payload);
            }
            settle();
            now = System.nanoTime();
        } while (now < deadline);
        return new Result(committedProposals - before, (now - start) / 1e9);
    }

    /** Runs Ready cycles and delivers messages until no member has anything left to do. */
    private void settle() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int id = 1; id <= MEMBERS; id++) {
                while (nodes[id].hasReady()) {
                    handle(id, nodes[id].ready());
                    busy = true;
                }
            }
            while (!inFlight.isEmpty()) {
                Message m = inFlight.poll();
                nodes[(int) m.getTo()].step(m);
                busy = true;
            }
        }
    }

    private void handle(int id, Ready rd) {
        inFlight.addAll(rd.messages());
        MemoryStorage disk = disks[id];
        if (rd.snapshot() != null) {
            disk.applySnapshot(rd.snapshot());
            applied[id] = rd.snapshot().getMetadata().getIndex();
        }
        disk.append(rd.entries());
        if (rd.hardState() != null) {
            disk.setHardState(rd.hardState());
        }
        inFlight.addAll(rd.messagesAfterPersist());
        for (Entry e : rd.committedEntries()) {
            applied[id] = e.getIndex();
            switch (e.getType()) {
                case EntryConfChange -> confStates[id] = nodes[id].applyConfChange(parse(e));
                default -> {
                    if (id == 1 && !e.getData().isEmpty()) {
                        committedProposals++;
                    }
                }
            }
        }
        nodes[id].advance(rd);
        if (applied[id] - disk.firstIndex() > COMPACT_EVERY) {
            disk.createSnapshot(applied[id], confStates[id], ByteString.EMPTY);
            disk.compact(applied[id] - 1_000);
        }
    }

    private static ConfChange parse(Entry e) {
        try {
            return ConfChange.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
