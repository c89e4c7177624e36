package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.CompletionScripts;
import io.etcdj.etcdctl.cli.FlagSet;
import io.etcdj.etcdctl.cli.UsageText;
import java.util.List;

/** The etcdctl (v3) command tree with its global flags, in etcdctl 3.4.23's shape. */
public final class RootCommand {
    private static final long SECOND = 1_000_000_000L;

    private RootCommand() {}

    public static Command build() {
        Command root = new Command("etcdctl", "A simple command line client for etcd3.", null);
        FlagSet g = root.persistentFlags();
        g.stringSlice("endpoints", List.of("127.0.0.1:2379"), "gRPC endpoints");
        g.bool("debug", "", false, "enable client-side debug logging");
        g.string("write-out", "w", "simple", "set the output format (fields, json, protobuf, simple, table)");
        g.bool("hex", "", false, "print byte strings as hex encoded strings");
        g.duration("dial-timeout", 2 * SECOND, "dial timeout for client connections");
        g.duration("command-timeout", 5 * SECOND, "timeout for short running command (excluding dial timeout)");
        g.duration("keepalive-time", 2 * SECOND, "keepalive time for client connections");
        g.duration("keepalive-timeout", 6 * SECOND, "keepalive timeout for client connections");
        g.bool("insecure-transport", "", true, "disable transport security for client connections");
        g.bool("insecure-discovery", "", true, "accept insecure SRV records describing cluster endpoints");
        g.bool("insecure-skip-tls-verify", "", false,
                "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)");
        g.string("cert", "", "", "identify secure client using this TLS certificate file");
        g.string("key", "", "", "identify secure client using this TLS key file");
        g.string("cacert", "", "", "verify certificates of TLS-enabled secure servers using this CA bundle");
        g.string("user", "", "", "username[:password] for authentication (prompt if password is not supplied)");
        g.string("password", "", "",
                "password for authentication (if this option is used, --user option shouldn't include password)");
        g.string("discovery-srv", "d", "", "domain name to query for SRV records describing cluster endpoints");
        g.string("discovery-srv-name", "", "", "service name to query when using DNS discovery");

        root.add(KvCommands.get(), KvCommands.put(), KvCommands.del(), TxnCommand.build(),
                MaintenanceCommands.compaction(), MaintenanceCommands.alarm(), MaintenanceCommands.defrag(),
                EndpointCommands.build(), MaintenanceCommands.moveLeader(), WatchCommand.build(), version(),
                LeaseCommands.build(), MemberCommands.build(), MaintenanceCommands.snapshot(),
                MakeMirror.command(), Migrate.command(), ConcurrencyCommands.lock(),
                ConcurrencyCommands.elect(), AuthCommands.auth(), AuthCommands.user(), AuthCommands.role(),
                CheckCommands.check(), CompletionScripts.command(), DowngradeCommands.build(), help(root));
        return root;
    }

    private static Command version() {
        return new Command("version", "Prints the version of etcdctl", inv -> {
            inv.console().out().println("etcdctl version: " + UsageText.VERSION);
            inv.console().out().println("API version: " + UsageText.API_VERSION);
        });
    }

    private static Command help(Command root) {
        return new Command("help [command]", "Help about any command",
                "Help provides help for any command in the application.\nSimply type etcdctl help [path to command] for full details.",
                inv -> {
                    Command c = root;
                    for (String a : inv.args()) {
                        Command next = null;
                        for (Command sub : c.children()) {
                            if (sub.name().equals(a)) {
                                next = sub;
                            }
                        }
                        if (next == null) {
                            inv.console().out().print("Unknown help topic [`" + String.join(" ", inv.args()) + "`]\n");
                            inv.console().out().print(UsageText.render(root));
                            return;
                        }
                        c = next;
                    }
                    inv.console().out().print(UsageText.render(c));
                });
    }
}
