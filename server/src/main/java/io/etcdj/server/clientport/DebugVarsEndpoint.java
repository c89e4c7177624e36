package io.etcdj.server.clientport;

import com.sun.management.UnixOperatingSystemMXBean;
import io.etcdj.raft.PeerProgress;
import io.etcdj.raft.ProgressState;
import io.etcdj.raft.StateRole;
import io.etcdj.raft.Status;
import io.etcdj.server.logging.ZapJson;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * etcd's {@code /debug/vars} (Go's expvar): the command line, the file descriptor limit, memory
 * figures and {@code raft.status}, the member's raft state as etcd's raft library prints it.
 * {@code memstats} keeps only the Go field names that have a JVM counterpart (heap in use and
 * committed, everything committed, collections and their total pause); Go's allocator internals
 * are left out rather than invented.
 */
public final class DebugVarsEndpoint implements V2HttpHandler {
    /** The arguments bin/etcd was started with (set by the command line; empty when embedded). */
    private static volatile List<String> commandLine = List.of();

    private final Supplier<Status> raftStatus;

    /** @param raftStatus the member's raft status, taken on its raft loop; null when it cannot be had in time */
    public DebugVarsEndpoint(Supplier<Status> raftStatus) {
        this.raftStatus = raftStatus;
    }

    public static void recordCommandLine(String[] args) {
        commandLine = List.of(args);
    }

    @Override
    public void handle(V2HttpExchange ex) {
        if (!ClientHttpEndpoints.allowGetOnly(ex)) {
            return;
        }
        StringBuilder b = new StringBuilder("{\n");
        b.append("\"cmdline\": ").append(cmdline()).append(",\n");
        b.append("\"file_descriptor_limit\": ").append(fileDescriptorLimit()).append(",\n");
        b.append("\"memstats\": ").append(memstats());
        Status status = raftStatus.get();
        if (status != null) {
            b.append(",\n\"raft.status\": ").append(raftStatusJson(status));
        }
        b.append("\n}\n");
        ex.respond(new V2HttpResponse(200).header("Content-Type", "application/json; charset=utf-8")
                .body(b.toString()));
    }

    private static String cmdline() {
        StringBuilder b = new StringBuilder("[\"etcd\"");
        for (String arg : commandLine) {
            b.append(',').append(ZapJson.quote(arg));
        }
        return b.append(']').toString();
    }

    private static long fileDescriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 0;
    }

    private static String memstats() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long collections = 0;
        long pauseMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            pauseMillis += Math.max(0, gc.getCollectionTime());
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("Alloc", heap.getUsed());
        m.put("HeapAlloc", heap.getUsed());
        m.put("HeapInuse", heap.getUsed());
        m.put("HeapSys", heap.getCommitted());
        m.put("Sys", heap.getCommitted() + nonHeap.getCommitted());
        m.put("NumGC", collections);
        m.put("PauseTotalNs", pauseMillis * 1_000_000L);
        m.put("EnableGC", true);
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    /** etcd raft's Status.MarshalJSON: ids in hex, progress only on the leader. */
    static String raftStatusJson(Status s) {
        StringBuilder b = new StringBuilder();
        b.append("{\"id\":\"").append(Long.toHexString(s.id())).append('"')
                .append(",\"term\":").append(s.hardState().getTerm())
                .append(",\"vote\":\"").append(Long.toHexString(s.hardState().getVote())).append('"')
                .append(",\"commit\":").append(s.hardState().getCommit())
                .append(",\"lead\":\"").append(Long.toHexString(s.softState().lead())).append('"')
                .append(",\"raftState\":\"").append(roleName(s.softState().role())).append('"')
                .append(",\"applied\":").append(s.applied())
                .append(",\"progress\":{");
        boolean first = true;
        for (Map.Entry<Long, PeerProgress> e : new TreeMap<>(s.progress()).entrySet()) {
            b.append(first ? "" : ",").append('"').append(Long.toHexString(e.getKey())).append("\":{\"match\":")
                    .append(e.getValue().match()).append(",\"next\":").append(e.getValue().next())
                    .append(",\"state\":\"").append(progressName(e.getValue().state())).append("\"}");
            first = false;
        }
        return b.append("},\"leadtransferee\":\"").append(Long.toHexString(s.leadTransferee())).append("\"}")
                .toString();
    }

    private static String roleName(StateRole role) {
        return switch (role) {
            case FOLLOWER -> "StateFollower";
            case PRE_CANDIDATE -> "StatePreCandidate";
            case CANDIDATE -> "StateCandidate";
            case LEADER -> "StateLeader";
        };
    }

    private static String progressName(ProgressState state) {
        return switch (state) {
            case PROBE -> "StateProbe";
            case REPLICATE -> "StateReplicate";
            case SNAPSHOT -> "StateSnapshot";
        };
    }
}
