package io.etcdj.benchmark;

import io.etcdj.benchmark.raft.InMemoryRaftThroughput;
import java.util.Arrays;

/**
 * Entry point of bin/benchmark. Today only {@code raft-inmemory} (raft consensus throughput with
 * no disk and no network) exists; the load tool of issue 9 says it is not there yet.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("raft-inmemory")) {
            InMemoryRaftThroughput.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.err.println("benchmark: not yet available in this build (tracked in issue 9)");
        System.exit(2);
    }
}
