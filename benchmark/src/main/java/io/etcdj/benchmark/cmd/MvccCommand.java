package io.etcdj.benchmark.cmd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark mvcc put}: etcd benchmarks its storage layer in-process. Ours would run
 * against io.etcdj.mvcc, which is not part of this build yet, so the command says so and exits 1
 * (it does not pretend to measure anything).
 */
@Command(name = "mvcc", description = "Benchmark mvcc (needs the mvcc module)", subcommands = MvccCommand.Put.class)
final class MvccCommand implements Runnable {
    @Option(names = "--batch-interval", description = "Interval of batching (milliseconds)")
    int batchInterval = 100;

    @Option(names = "--batch-limit", description = "A limit of batched transaction")
    int batchLimit = 10000;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "mvcc needs a subcommand: put");
    }

    @Command(name = "put", description = "Benchmark put performance of storage")
    static final class Put extends BenchCommand {
        @Option(names = "--total", description = "a total number of keys to put (default: 100)")
        int total = 100;

        @Option(names = "--key-size", description = "a size of key (Byte) (default: 64)")
        int keySize = 64;

        @Option(names = "--value-size", description = "a size of value (Byte) (default: 64)")
        int valueSize = 64;

        @Option(names = "--txn", description = "put a key in transaction or not")
        boolean txn;

        @Option(names = "--txn-ops", description = "a number of keys to put per transaction (default: 1)")
        int txnOps = 1;

        @Override
        protected int run() {
            err().println("benchmark mvcc put: needs the mvcc module (io.etcdj.mvcc), which is not in this build yet");
            return 1;
        }
    }
}
