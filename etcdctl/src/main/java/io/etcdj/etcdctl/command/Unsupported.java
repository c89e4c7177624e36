package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.Invocation;

/**
 * Commands etcdctl 3.4 has that etcdj's etcdctl does not implement yet. They exist so that help
 * texts and command lookup match etcdctl; running one says plainly that it is missing (exit 1).
 */
final class Unsupported {
    private Unsupported() {}

    private static void missing(Invocation inv) {
        throw inv.fail(ExitCodes.ERROR, "'" + inv.command().path() + "' is not implemented in etcdj's etcdctl yet");
    }

    static Command migrate() {
        Command c = new Command("migrate", "Migrates keys in a v2 store to a mvcc store", Unsupported::missing);
        c.flags().bool("no-ttl", "", false, "Do not convert TTL keys");
        c.flags().string("data-dir", "", "", "Path to the data directory");
        c.flags().string("wal-dir", "", "", "Path to the WAL directory");
        c.flags().string("transformer", "", "", "Path to the user-provided transformer program");
        return c;
    }
}
