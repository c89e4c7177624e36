package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.load.Keys;
import io.etcdj.benchmark.report.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmark txn-put}: transactions with no comparison and {@code --txn-ops} puts each. */
@Command(name = "txn-put", description = "Benchmark txn-put")
final class TxnPutCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of txn put (default: 8)")
    int keySize = 8;

    @Option(names = "--val-size", description = "Value size of txn put (default: 8)")
    int valSize = 8;

    @Option(names = "--txn-ops", description = "Number of puts per txn (default: 1)")
    int opsPerTxn = 1;

    @Option(names = "--rate", description = "Maximum txns per second (0 is no limit)")
    int rate;

    @Option(names = "--total", description = "Total number of txn requests (default: 10000)")
    int total = 10000;

    @Option(names = "--key-space-size", description = "Maximum possible keys (default: 1)")
    int keySpaceSize = 1;

    @Override
    protected int run() throws Exception {
        if (keySpaceSize <= 0) {
            throw new UsageError("expected positive --key-space-size, got (" + keySpaceSize + ")");
        }
        if (opsPerTxn > keySpaceSize) {
            throw new UsageError("expected --txn-ops no larger than --key-space-size, got txn-ops(" + opsPerTxn
                    + ") key-space-size(" + keySpaceSize + ")");
        }
        ByteString value = ByteString.copyFrom(randomBytes(valSize));
        try (Connections conns = connect()) {
            Summary s = closedLoop(total, rate, client -> {
                ClientChannels ch = conns.forClient(client);
                return (seq, done) -> {
                    TxnRequest.Builder txn = TxnRequest.newBuilder();
                    for (int j = 0; j < opsPerTxn; j++) {
                        long n = (seq * opsPerTxn + j) % keySpaceSize;
                        txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                                .setKey(ByteString.copyFrom(Keys.varintKey(keySize, n))).setValue(value)));
                    }
                    ch.unary(KVGrpc.getTxnMethod(), txn.build(), (r, t) -> done.complete(t));
                };
            });
            print("txn-put", "", s);
            note("");
        }
        return 0;
    }
}
