package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.CobraStyle;
import io.etcdj.etcdctl.cli.CommandLine;
import io.etcdj.etcdctl.cli.Completion;
import io.etcdj.etcdctl.cli.Console;
import java.io.PrintStream;
import java.util.List;

/**
 * Entry point of bin/etcdutl: offline tools on a data dir (defrag, backup) or a snapshot file
 * (restore, status), with etcd 3.5's etcdutl command line (cobra's default help pages and errors).
 */
public final class EtcdutlMain {
    private EtcdutlMain() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs a command line; returns the exit status (etcdutl's: 1 for an error, 128 for bad arguments). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (Completion.requested(args)) { // a completion script asking for candidates at a TAB
            return Completion.answer(RootCommand.build(), args, out, err);
        }
        Console console = new Console(out, err, System.in, System.getenv());
        return CommandLine.execute(RootCommand.build(), args, console, CobraStyle.DEFAULT_TEMPLATE);
    }
}
