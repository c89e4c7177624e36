package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.report.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code benchmark range key [end-range]}: closed-loop Range requests, linearizable or serializable. */
@Command(name = "range", description = "Benchmark range")
final class RangeCommand extends BenchCommand {
    @Parameters(arity = "0..2", paramLabel = "key [end-range]")
    List<String> args = new ArrayList<>();

    @Option(names = "--rate", description = "Maximum range requests per second (0 is no limit)")
    int rate;

    @Option(names = "--total", description = "Total number of range requests (default: 10000)")
    int total = 10000;

    @Option(names = "--consistency", description = "Linearizable(l) or Serializable(s)")
    String consistency = "l";

    @Option(names = "--limit", description = "Maximum number of results to return from range request (0 is no limit)")
    long limit;

    @Option(names = "--count-only", description = "Only returns the count of keys")
    boolean countOnly;

    @Option(names = "--keys-only", description = "Only returns the keys")
    boolean keysOnly;

    @Option(names = "--prefix", description = "Range over all keys with the given key as prefix")
    boolean prefix;

    @Override
    protected int run() throws Exception {
        if (args.isEmpty() && !prefix) {
            throw new UsageError("Usage: benchmark range key [end-range] [flags]");
        }
        if (countOnly && keysOnly) {
            throw new UsageError("`--keys-only` and `--count-only` cannot be set at the same time");
        }
        if (consistency.equals("l")) {
            note("bench with linearizable range");
        } else if (consistency.equals("s")) {
            note("bench with serializable range");
        } else {
            throw new UsageError("--consistency must be l or s, got " + consistency);
        }
        RangeRequest req = request(args.isEmpty() ? "" : args.get(0), args.size() == 2 ? args.get(1) : "");
        try (Connections conns = connect()) {
            Summary s = closedLoop(total, rate, client -> {
                ClientChannels ch = conns.forClient(client);
                return (seq, done) -> ch.unary(KVGrpc.getRangeMethod(), req, (r, t) -> done.complete(t));
            });
            print("range", "", s);
        }
        return 0;
    }

    RangeRequest request(String key, String end) {
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key));
        if (prefix && key.isEmpty()) {
            b.setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0})); // everything
        } else if (prefix) {
            b.setRangeEnd(prefixEnd(b.getKey()));
        } else if (!end.isEmpty()) {
            b.setRangeEnd(ByteString.copyFromUtf8(end));
        }
        return b.setLimit(limit).setSerializable(consistency.equals("s")).setCountOnly(countOnly)
                .setKeysOnly(keysOnly).build();
    }

    /** The end of the range of all keys starting with {@code key} (etcd's GetPrefixRangeEnd). */
    static ByteString prefixEnd(ByteString key) {
        byte[] k = key.toByteArray();
        for (int i = k.length - 1; i >= 0; i--) {
            if ((k[i] & 0xff) < 0xff) {
                byte[] end = Arrays.copyOf(k, i + 1);
                end[i]++;
                return ByteString.copyFrom(end);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }
}
