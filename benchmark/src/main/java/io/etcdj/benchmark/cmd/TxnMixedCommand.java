package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.load.ClosedLoop;
import io.etcdj.benchmark.load.Keys;
import io.etcdj.benchmark.load.Operation;
import io.etcdj.benchmark.load.RateLimiter;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark txn-mixed}: transactions that are either one put or one range from "" to the
 * end of the key space (limit {@code --limit}); a request is a read with probability
 * {@code rw/(1+rw)}. Reads and writes are reported separately.
 */
@Command(name = "txn-mixed", description = "Benchmark a mixed load of txn-put & txn-range.")
final class TxnMixedCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of mixed txn (default: 8)")
    int keySize = 8;

    @Option(names = "--val-size", description = "Value size of mixed txn (default: 8)")
    int valSize = 8;

    @Option(names = "--rate", description = "Maximum txns per second (0 is no limit)")
    int rate;

    @Option(names = "--total", description = "Total number of txn requests (default: 10000)")
    int total = 10000;

    @Option(names = "--end-key", description = "Read operation range end key (default: the whole key space)")
    String endKey = "";

    @Option(names = "--limit", description = "Read operation range result limit (default: 1000)")
    long limit = 1000;

    @Option(names = "--key-space-size", description = "Maximum possible keys (default: 1)")
    int keySpaceSize = 1;

    @Option(names = "--consistency", description = "Linearizable(l) or Serializable(s)")
    String consistency = "l";

    @Option(names = "--rw-ratio", description = "Read/write ops ratio (default: 1)")
    double rwRatio = 1;

    @Override
    protected int run() throws Exception {
        if (keySpaceSize <= 0) {
            throw new UsageError("expected positive --key-space-size, got (" + keySpaceSize + ")");
        }
        if (consistency.equals("l")) {
            note("bench with linearizable range");
        } else if (consistency.equals("s")) {
            note("bench with serializable range");
        } else {
            throw new UsageError("--consistency must be l or s, got " + consistency);
        }
        ByteString value = ByteString.copyFrom(randomBytes(valSize));
        // clientv3's WithPrefix on the empty key ranges over everything: key "\0", end "\0".
        RangeRequest read = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(endKey.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : ByteString.copyFromUtf8(endKey))
                .setLimit(limit).setSerializable(consistency.equals("s")).build();
        TxnRequest readTxn = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestRange(read)).build();
        double readShare = rwRatio / (1 + rwRatio);
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        int clients = global().clients;
        LatencyRecorder readRec = recorder(clients);
        LatencyRecorder writeRec = recorder(clients);
        long elapsed;
        try (Connections conns = connect(); ProgressBar bar = progress(total)) {
            elapsed = new ClosedLoop(clients, total, RateLimiter.perSecondOrNull(rate), bar, readRec, writeRec)
                    .run(client -> {
                        ClientChannels ch = conns.forClient(client);
                        return (seq, done) -> {
                            if (ThreadLocalRandom.current().nextDouble() < readShare) {
                                reads.incrementAndGet();
                                ch.unary(KVGrpc.getTxnMethod(), readTxn, (r, t) -> report(done, 0, t));
                            } else {
                                writes.incrementAndGet();
                                TxnRequest w = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                                        .setRequestPut(PutRequest.newBuilder()
                                                .setKey(ByteString.copyFrom(Keys.varintKey(keySize, seq % keySpaceSize)))
                                                .setValue(value)))
                                        .build();
                                ch.unary(KVGrpc.getTxnMethod(), w, (r, t) -> report(done, 1, t));
                            }
                        };
                    });
            bar.finish();
        }
        if (!global().json()) {
            out().print("Total Read Ops: " + reads.get() + "\nDetails:");
        }
        print("txn-mixed-read", "", readRec.summarize(elapsed));
        note("");
        if (!global().json()) {
            out().print("Total Write Ops: " + writes.get() + "\nDetails:");
        }
        print("txn-mixed-write", "", writeRec.summarize(elapsed));
        note("");
        return 0;
    }

    private static void report(Operation.Completion done, int report, Throwable t) {
        if (t == null) {
            done.ok(report);
        } else {
            done.failed(report, t);
        }
    }
}
