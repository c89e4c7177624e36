package io.etcdj.etcdctl.command;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdutl.V2KeysMigration;
import io.etcdj.etcdutl.V2KeysMigration.RaftHistory;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.v2.store.NodeView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code etcdctl migrate}: turns the v2 keys of a stopped member's data dir into v3 keys
 * ({@link V2KeysMigration} says which and how), with etcdctl 3.4's output: "using default
 * transformer" (unless {@code --transformer} names a program), the membership lines of
 * {@link MigrateClusterLog}, then "finished transforming keys" or "no v2 keys to migrate".
 */
final class Migrate {
    /** How long a running member may hold the backend before we say we are waiting (etcd's second). */
    private static final Duration PATIENCE = Duration.ofSeconds(1);

    private Migrate() {
    }

    static Command command() {
        Command c = new Command("migrate", "Migrates keys in a v2 store to a mvcc store", Migrate::run);
        c.flags().bool("no-ttl", "", false, "Do not convert TTL keys");
        c.flags().string("data-dir", "", "", "Path to the data directory");
        c.flags().string("wal-dir", "", "", "Path to the WAL directory");
        c.flags().string("transformer", "", "", "Path to the user-provided transformer program");
        return c;
    }

    private static void run(Invocation inv) throws Exception {
        PrintStream out = inv.console().out();
        Path dataDir = Path.of(inv.string("data-dir"));
        String walDir = inv.string("wal-dir");
        String program = inv.string("transformer");
        MigrationTransformer transformer;
        if (program.isEmpty()) {
            out.println("using default transformer");
            transformer = null;
        } else {
            try {
                transformer = MigrationTransformer.start(program, inv.console().err());
            } catch (IOException e) {
                throw inv.fail(ExitCodes.ERROR, e.getMessage());
            }
        }
        try {
            RaftHistory history;
            try {
                history = V2KeysMigration.readHistory(dataDir, walDir.isEmpty() ? null : Path.of(walDir));
            } catch (IOException e) {
                throw inv.fail(ExitCodes.ERROR, e.getMessage());
            }
            MigrateClusterLog.lines(history).forEach(out::println);
            try (MvccServerBackend backend = V2KeysMigration.openBackend(dataDir, PATIENCE, inv.console().err())) {
                Optional<List<NodeView>> nodes = V2KeysMigration.v2Nodes(backend, history, nowNanos());
                if (nodes.isEmpty()) {
                    out.println("no v2 keys to migrate");
                    return;
                }
                List<NodeView> kept = new ArrayList<>();
                for (NodeView n : nodes.get()) {
                    if (!inv.bool("no-ttl") || n.ttl() == 0) {
                        kept.add(n);
                    }
                }
                List<KeyValue> kvs = new ArrayList<>();
                if (transformer == null) {
                    kept.forEach(n -> V2KeysMigration.transform(n).ifPresent(kvs::add));
                } else {
                    MigrationTransformer.Outcome outcome = transformer.transform(kept);
                    if (outcome.failure() != null) {
                        out.println("failed to transform keys");
                        throw inv.fail(ExitCodes.ERROR, outcome.failure());
                    }
                    kvs.addAll(outcome.keys());
                }
                V2KeysMigration.write(backend, kvs);
            }
            out.println("finished transforming keys");
        } finally {
            if (transformer != null) {
                transformer.close();
            }
        }
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
