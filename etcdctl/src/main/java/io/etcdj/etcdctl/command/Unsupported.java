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

    static Command check() {
        Command c = new Command("check <subcommand>", "commands for checking properties of the etcd cluster", null);
        Command perf = new Command("perf [options]", "Check the performance of the etcd cluster", Unsupported::missing);
        perf.flags().string("load", "", "s",
                "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)");
        perf.flags().string("prefix", "", "/etcdctl-check-perf/", "The prefix for writing the performance check's keys.");
        perf.flags().bool("auto-compact", "", false, "Compact storage with last revision after test is finished.");
        perf.flags().bool("auto-defrag", "", false, "Defragment storage after test is finished.");
        Command scale = new Command("datascale [options]",
                "Check the memory usage of holding data for different workloads on a given server endpoint.",
                "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
                Unsupported::missing);
        scale.flags().string("load", "", "s",
                "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)");
        scale.flags().string("prefix", "", "/etcdctl-check-datascale/", "The prefix for writing the datascale check's keys.");
        scale.flags().bool("auto-compact", "", false, "Compact storage with last revision after test is finished.");
        scale.flags().bool("auto-defrag", "", false, "Defragment storage after test is finished.");
        return c.add(perf, scale);
    }

    static Command completion() {
        Command c = new Command("completion", "Generate the autocompletion script for the specified shell", null);
        for (String sh : new String[] {"bash", "fish", "powershell", "zsh"}) {
            Command s = new Command(sh, "Generate the autocompletion script for " + sh, Unsupported::missing);
            s.flags().bool("no-descriptions", "", false, "disable completion descriptions");
            c.add(s);
        }
        return c;
    }
}
