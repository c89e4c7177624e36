package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.load.Keys;
import io.etcdj.benchmark.report.Summary;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmark put}: closed-loop Put requests of one value over a key space. */
@Command(name = "put", description = "Benchmark put")
final class PutCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of put request (default: 8)")
    int keySize = 8;

    @Option(names = "--val-size", description = "Value size of put request (default: 8)")
    int valSize = 8;

    @Option(names = "--rate", description = "Maximum puts per second (0 is no limit)")
    int rate;

    @Option(names = "--total", description = "Total number of put requests (default: 10000)")
    int total = 10000;

    @Option(names = "--key-space-size", description = "Maximum possible keys (default: 1)")
    int keySpaceSize = 1;

    @Option(names = "--sequential-keys", description = "Use sequential keys")
    boolean sequentialKeys;

    @Option(names = "--prefix", description = "Prefix for keys")
    String prefix = "";

    @Override
    protected int run() throws Exception {
        if (keySpaceSize <= 0) {
            throw new UsageError("expected positive --key-space-size, got (" + keySpaceSize + ")");
        }
        ByteString value = ByteString.copyFrom(randomBytes(valSize));
        ByteString keyPrefix = ByteString.copyFromUtf8(prefix);
        try (Connections conns = connect()) {
            Summary s = closedLoop(total, rate, client -> {
                ClientChannels ch = conns.forClient(client);
                return (seq, done) -> {
                    long n = sequentialKeys ? seq % keySpaceSize : ThreadLocalRandom.current().nextInt(keySpaceSize);
                    PutRequest req = PutRequest.newBuilder()
                            .setKey(keyPrefix.concat(ByteString.copyFrom(Keys.varintKey(keySize, n))))
                            .setValue(value).build();
                    ch.unary(KVGrpc.getPutMethod(), req, (r, t) -> done.complete(t));
                };
            });
            print("put", "", s);
            note("");
        }
        return 0;
    }
}
