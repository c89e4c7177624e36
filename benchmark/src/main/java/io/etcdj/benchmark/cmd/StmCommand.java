package io.etcdj.benchmark.cmd;

import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.report.Summary;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark stm}: software transactional memory transactions (clientv3 concurrency's STM
 * protocol, see {@link StmTransaction}) reading {@code --keys-per-txn} random keys out of
 * {@code --keys} and overwriting {@code --txn-wr-percent} of them; a transaction whose commit
 * comparison fails is retried and counts once, when it succeeds.
 */
@Command(name = "stm", description = "Benchmark STM")
final class StmCommand extends BenchCommand {
    @Option(names = "--isolation",
            description = "Read Committed (c), Repeatable Reads (r), Serializable (s), or Snapshot (ss)")
    String isolation = "r";

    @Option(names = "--keys", description = "Total unique keys accessible by the benchmark (default: 1)")
    int keyCount = 1;

    @Option(names = "--total", description = "Total number of completed STM transactions (default: 10000)")
    int total = 10000;

    @Option(names = "--keys-per-txn", description = "Number of keys to access per transaction (default: 1)")
    int keysPerTxn = 1;

    @Option(names = "--txn-wr-percent", description = "Percentage of keys to overwrite per transaction (default: 50)")
    int writePercent = 50;

    @Option(names = "--stm-locker", description = "Wrap STM transaction with a custom locking mechanism (only stm here)")
    String locker = "stm";

    @Option(names = "--val-size", description = "Value size of each STM put request (default: 8)")
    int valSize = 8;

    @Option(names = "--rate", description = "Maximum STM transactions per second (0 is no limit)")
    int rate;

    @Override
    protected int run() throws Exception {
        if (keyCount <= 0) {
            throw new UsageError("expected positive --keys, got (" + keyCount + ")");
        }
        if (writePercent < 0 || writePercent > 100) {
            throw new UsageError("expected [0, 100] --txn-wr-percent, got (" + writePercent + ")");
        }
        if (keysPerTxn < 0 || keysPerTxn > keyCount) {
            throw new UsageError("expected --keys-per-txn between 0 and " + keyCount + ", got (" + keysPerTxn + ")");
        }
        if (!Set.of("c", "r", "s", "ss").contains(isolation)) {
            throw new UsageError("--isolation must be c, r, s or ss, got " + isolation);
        }
        if (!locker.equals("stm")) {
            throw new UsageError("--stm-locker " + locker + " is not supported by this build (only stm)");
        }
        StmTransaction.Isolation iso = StmTransaction.Isolation.of(isolation);
        try (Connections conns = connect()) {
            Summary s = closedLoop(total, rate, client -> {
                var ch = conns.forClient(client);
                return (seq, done) -> new StmTransaction(ch, iso, keyCount, keysPerTxn, writePercent, valSize, done)
                        .start();
            });
            print("stm", "", s);
        }
        return 0;
    }
}
