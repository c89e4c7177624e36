package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;

/** lock and elect (clientv3/concurrency recipes); not implemented yet. */
final class ConcurrencyCommands {
    private ConcurrencyCommands() {}

    static Command lock() {
        Command c = new Command("lock <lockname> [exec-command arg1 arg2 ...]", "Acquires a named lock",
                inv -> {
                    throw inv.fail(ExitCodes.ERROR, "'etcdctl lock' is not implemented in etcdj's etcdctl yet");
                });
        c.flags().integer("ttl", 10, "timeout for session");
        return c;
    }

    static Command elect() {
        Command c = new Command("elect <election-name> [proposal]", "Observes and participates in leader election",
                inv -> {
                    throw inv.fail(ExitCodes.ERROR, "'etcdctl elect' is not implemented in etcdj's etcdctl yet");
                });
        c.flags().bool("listen", "l", false, "observation mode");
        return c;
    }
}
