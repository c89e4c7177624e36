package io.etcdj.benchmark;

import io.etcdj.benchmark.cmd.BenchmarkRoot;
import io.etcdj.benchmark.raft.InMemoryRaftThroughput;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of bin/benchmark: etcd's benchmark commands (see {@link BenchmarkRoot}), plus
 * {@code raft-inmemory} (raft consensus throughput with no disk and no network), which is
 * dispatched before the command-line parser sees the arguments.
 */
public final class BenchmarkMain {
    /** Held so the level sticks: grpc-netty logs its transport choice at INFO, which is noise here. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    private BenchmarkMain() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("raft-inmemory")) {
            InMemoryRaftThroughput.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        GRPC_LOG.setLevel(Level.WARNING);
        int code = BenchmarkRoot.execute(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }
}
