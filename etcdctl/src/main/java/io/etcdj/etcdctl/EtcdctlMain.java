package io.etcdj.etcdctl;

import io.etcdj.etcdctl.cli.CommandLine;
import io.etcdj.etcdctl.cli.Completion;
import io.etcdj.etcdctl.cli.Console;
import io.etcdj.etcdctl.command.RootCommand;
import io.etcdj.etcdctl.v2.V2Main;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of bin/etcdctl: the etcd v3 command-line client (ETCDCTL_API unset or "3"), or the v2
 * one ({@link V2Main}) with ETCDCTL_API=2.
 * {@link #run} is the whole program over explicit streams and environment, for in-process tests.
 */
public final class EtcdctlMain {
    /** Held so the silenced logger is not collected (and its level forgotten). */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    private EtcdctlMain() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(Arrays.asList(args), new HashMap<>(System.getenv()), System.in, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out,
                          PrintStream err) {
        GRPC_LOG.setLevel(Level.OFF);
        Map<String, String> e = new HashMap<>(env);
        String api = e.remove("ETCDCTL_API");
        if (api != null && !api.isEmpty() && !api.equals("3")) {
            if (api.equals("2")) {
                return V2Main.run(args, new Console(out, err, in, e));
            }
            err.println("unsupported API version " + api);
            return 1;
        }
        if (Completion.requested(args)) {
            return Completion.answer(RootCommand.build(), args, out, err);
        }
        return CommandLine.execute(RootCommand.build(), args, new Console(out, err, in, e));
    }
}
