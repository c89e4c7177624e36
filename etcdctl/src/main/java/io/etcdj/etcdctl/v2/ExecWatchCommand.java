package io.etcdj.etcdctl.v2;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * exec-watch KEY -- COMMAND...: long-polls KEY (its subtree with --recursive) and starts COMMAND for
 * every change to a key, with ETCD_WATCH_ACTION, ETCD_WATCH_MODIFIED_INDEX, ETCD_WATCH_KEY and
 * ETCD_WATCH_VALUE added to the environment; changes to directories are reported ("Ignored dir")
 * and skipped. Commands run concurrently with the watch, their output going to ours.
 *
 * <p>The arguments are split as etcdctl 3.4 splits them: when a "--" follows the key (it survives
 * parsing only if a flag came first, see {@link GoFlags#reorder}), the key is the first argument and
 * the command what follows "--"; otherwise the key is the LAST argument and the command everything
 * before it. So "exec-watch KEY -- CMD ARG" watches ARG and would run KEY, exactly as etcdctl does.
 * A command that cannot be started ends exec-watch with Go's error text (no newline) and exit 1.
 */
final class ExecWatchCommand {
    private ExecWatchCommand() {}

    static void run(V2Context c) {
        List<String> args = c.args();
        if (args.size() < 2) {
            throw c.fail(V2Exit.BAD_ARGS, "key and command to exec required");
        }
        boolean sep = args.subList(1, args.size()).contains("--");
        String key = sep ? args.get(0) : args.get(args.size() - 1);
        List<String> cmd = sep ? args.subList(2, args.size()) : args.subList(0, args.size() - 1);
        KeyWatcher.watch(c, key, r -> {
            if (r.node().dir()) {
                c.err().print("Ignored dir " + r.node().key() + " change\n");
            } else {
                start(c, cmd, Map.of("ETCD_WATCH_ACTION", r.action(),
                        "ETCD_WATCH_MODIFIED_INDEX", Long.toString(r.node().modifiedIndex()), "ETCD_WATCH_KEY",
                        r.node().key(), "ETCD_WATCH_VALUE", r.node().value() == null ? "" : r.node().value()));
            }
            return true;
        });
    }

    private static void start(V2Context c, List<String> cmd, Map<String, String> watchEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(c.console.env());
        pb.environment().putAll(watchEnv);
        boolean inherit = c.out() == System.out;
        if (inherit) {
            pb.inheritIO();
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            String name = cmd.get(0);
            c.err().print(name.contains(File.separator) ? "fork/exec " + name + ": no such file or directory"
                    : "exec: \"" + name + "\": executable file not found in $PATH");
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
        if (!inherit) {
            copy(p.getInputStream(), c.out());
            copy(p.getErrorStream(), c.err());
        }
    }

    private static void copy(InputStream from, PrintStream to) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
            } catch (IOException e) {
                // the command's output ends with it
            }
        }, "exec-watch-output");
        t.setDaemon(true);
        t.start();
    }
}
