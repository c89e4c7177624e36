package io.etcdj.mvcc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.apply.KvRequestExecutor;
import io.etcdj.mvcc.backend.Backend;

/**
 * Single-threaded MVCC throughput through the request executor: puts (one write txn and one backend
 * commit each, 16-byte keys over 10,000 distinct keys, 64-byte values), then single-key ranges. Not a
 * test; run it with the test classpath:
 * {@code java -cp <test classpath> io.etcdj.mvcc.bench.MvccThroughputMain [puts] [ranges]}.
 */
public final class MvccThroughputMain {
    private MvccThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int puts = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int ranges = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path dir = Files.createTempDirectory("mvcc-bench");
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            KvRequestExecutor kv = new KvRequestExecutor(store, id -> true);
            ByteString value = ByteString.copyFrom(new byte[64]);
            run("warm-up puts", 20_000, i -> kv.put(PutRequest.newBuilder().setKey(key(i)).setValue(value).build()));
            run("puts", puts, i -> {
                backend.setConsistentIndex(i + 1, 1);
                kv.put(PutRequest.newBuilder().setKey(key(i)).setValue(value).build());
            });
            run("warm-up ranges", 20_000, i -> kv.range(RangeRequest.newBuilder().setKey(key(i)).build()));
            run("ranges", ranges, i -> kv.range(RangeRequest.newBuilder().setKey(key(i)).build()));
            System.out.printf("backend size: %s%n", backend.size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ByteString key(int i) {
        return ByteString.copyFrom(String.format("key-%011d", i % 10_000), StandardCharsets.UTF_8);
    }

    private interface Op {
        void run(int i);
    }

    /**
     * Prints wall-clock throughput and, because the machine may be shared, throughput per CPU-second of
     * the calling thread (RocksDB's background threads are not counted; they do little here).
     */
    private static void run(String name, int n, Op op) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuSecs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf("%-15s %9d ops in %6.2f s = %9.0f ops/s wall, %9.0f ops per CPU-second (%.1f us CPU/op)%n",
                name, n, secs, n / secs, n / cpuSecs, cpuSecs * 1e6 / n);
    }
}
