package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.DefaultHelpCommand;
import io.etcdj.server.config.EtcdVersion;

/**
 * etcdutl's command tree, as etcd 3.5.16's: backup, completion, defrag, help, snapshot (restore,
 * status), version, and the global -w flag. {@code hashkv} (etcd 3.6's) runs but is hidden, so
 * that the help pages are 3.5's.
 */
final class RootCommand {
    private RootCommand() {}

    static Command build() {
        Command root = new Command("etcdutl", "An administrative command line tool for etcd3.", null);
        root.persistentFlags().string("write-out", "w", "simple",
                "set the output format (fields, json, protobuf, simple, table)");
        root.add(DataDirCommands.backup(), CompletionCommands.build(), DataDirCommands.defrag(),
                DefaultHelpCommand.create("etcdutl"), SnapshotCommands.build(), version(),
                DataDirCommands.hashKv().hide());
        return root;
    }

    private static Command version() {
        return new Command("version", "Prints the version of etcdutl", inv -> {
            inv.console().out().println("etcdutl version: " + EtcdVersion.SERVER);
            inv.console().out().println("API version: " + EtcdVersion.API);
        });
    }
}
