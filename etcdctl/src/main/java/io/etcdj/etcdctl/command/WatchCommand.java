package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.FlagSet;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.WatchStream;
import io.etcdj.etcdctl.print.GoQuote;
import io.etcdj.etcdctl.print.KeyRanges;
import io.etcdj.etcdctl.print.Printer;
import io.etcdj.etcdctl.print.WatchBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * watch: streams events for a key or range until the server cancels the watch; optionally runs
 * a command per event (after "--") with ETCD_WATCH_* variables; -i reads "watch ..." and
 * "progress" lines from stdin.
 */
final class WatchCommand {
    private WatchCommand() {}

    private record Options(boolean prefix, long rev, boolean prevKv) {}

    private record Parsed(List<String> watchArgs, List<String> execArgs) {}

    static Command build() {
        Command c = new Command("watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
                "Watches events stream on keys or prefixes", WatchCommand::run);
        addFlags(c.flags());
        return c;
    }

    private static void addFlags(FlagSet fs) {
        fs.bool("interactive", "i", false, "Interactive mode");
        fs.bool("prefix", "", false, "Watch on a prefix if prefix is set");
        fs.int64("rev", 0, "Revision to start watching");
        fs.bool("prev-kv", "", false, "get the previous key-value pair before the event happens");
    }

    private static void run(Invocation inv) throws Exception {
        String envKey = inv.console().getenv("ETCDCTL_WATCH_KEY");
        String envRange = inv.console().getenv("ETCDCTL_WATCH_RANGE_END");
        if (envKey.isEmpty() && !envRange.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END="
                    + GoQuote.quote(envRange));
        }
        if (inv.bool("interactive")) {
            interactive(inv, envKey, envRange);
            return;
        }
        Parsed p = parseArgs(inv, envKey, envRange);
        Options o = new Options(inv.bool("prefix"), inv.int64("rev"), inv.bool("prev-kv"));
        Session s = new Session(inv);
        EtcdClient c = s.client();
        WatchCreateRequest req = request(inv, p.watchArgs(), o);
        try (WatchStream w = new WatchStream(c, req)) {
            printStream(s, w, p.execArgs());
        }
        c.close();
        throw s.fail(ExitCodes.INTERRUPTED, "watch is canceled by the server");
    }

    private static Parsed parseArgs(Invocation inv, String envKey, String envRange) {
        List<String> raw = new ArrayList<>(inv.rawArgs());
        int w = raw.indexOf("watch");
        if (w >= 0) {
            raw = new ArrayList<>(raw.subList(w + 1, raw.size()));
        }
        List<String> watchArgs = new ArrayList<>(inv.args());
        int execIdx = raw.indexOf("--");
        boolean execExist = execIdx >= 0;
        if (execExist && execIdx == raw.size() - 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad number of arguments (found separator --, but no commands)");
        }
        if (!execExist && raw.isEmpty() && envKey.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad number of arguments");
        }
        if (execExist && !envKey.isEmpty()) {
            int ridx = raw.size() - 1;
            for (int widx = watchArgs.size() - 1; widx >= 0; widx--) {
                if (watchArgs.get(widx).equals(raw.get(ridx))) {
                    ridx--;
                    continue;
                }
                if (ridx == execIdx) {
                    throw inv.fail(ExitCodes.BAD_ARGS, "bad number of arguments (found conflicting environment key)");
                }
            }
        }
        if (!execExist && !watchArgs.isEmpty() && !envKey.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad number of arguments (found conflicting environment key)");
        }
        List<String> execArgs = execExist ? new ArrayList<>(raw.subList(execIdx + 1, raw.size())) : List.of();
        if (!envKey.isEmpty()) {
            List<String> ranges = new ArrayList<>();
            ranges.add(envKey);
            if (!envRange.isEmpty()) {
                ranges.add(envRange);
            }
            ranges.addAll(watchArgs);
            watchArgs = ranges;
        }
        if (!execExist) {
            return new Parsed(watchArgs, List.of());
        }
        int endIdx = watchArgs.size() - 1;
        while (endIdx >= 0 && !watchArgs.get(endIdx).equals(raw.get(execIdx + 1))) {
            endIdx--;
        }
        return new Parsed(new ArrayList<>(watchArgs.subList(0, Math.max(0, endIdx))), execArgs);
    }

    private static WatchCreateRequest request(Invocation inv, List<String> args, Options o) {
        if (args.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad number of arguments");
        }
        return buildRequest(args, o, msg -> inv.fail(ExitCodes.BAD_ARGS, msg));
    }

    private static WatchCreateRequest buildRequest(List<String> args, Options o,
                                                   Function<String, RuntimeException> err) {
        byte[] key = args.get(0).getBytes(StandardCharsets.UTF_8);
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setStartRevision(o.rev());
        if (args.size() == 2) {
            if (o.prefix()) {
                throw err.apply("`range_end` and `--prefix` are mutually exclusive");
            }
            b.setRangeEnd(KvRequests.bytes(args.get(1)));
        }
        if (o.prefix()) {
            if (key.length == 0) {
                key = new byte[] {0};
                b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
            } else {
                b.setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(key)));
            }
        }
        if (o.prevKv()) {
            b.setPrevKv(true);
        }
        return b.setKey(ByteString.copyFrom(key)).build();
    }

    /** Prints responses until the stream ends (printWatchCh). */
    private static void printStream(Session s, WatchStream w, List<String> execArgs) throws InterruptedException {
        Printer p = s.printer();
        while (true) {
            WatchResponse r = w.next();
            if (r == null) {
                return;
            }
            if (r.getCreated() && !r.getCanceled()) {
                continue;
            }
            WatchBatch batch = new WatchBatch(r.getHeader(), r.getEventsList(), r.getCompactRevision(),
                    r.getCanceled(), false);
            if (r.getCanceled()) {
                String reason = r.getCompactRevision() != 0
                        ? "etcdserver: mvcc: required revision has been compacted"
                        : r.getCancelReason();
                s.err().println("watch was canceled (" + reason + ")");
            }
            boolean progress = r.getEventsCount() == 0 && !r.getCanceled() && !r.getCreated()
                    && r.getCompactRevision() == 0 && r.getHeader().getRevision() != 0;
            if (progress) {
                s.out().println("progress notify: " + r.getHeader().getRevision());
            }
            synchronized (WatchCommand.class) {
                s.print(() -> p.watch(batch));
                s.out().stream().flush();
            }
            if (!execArgs.isEmpty()) {
                for (Event ev : r.getEventsList()) {
                    exec(s, execArgs, r.getHeader().getRevision(), ev);
                }
            }
            if (r.getCanceled()) {
                return;
            }
        }
    }

    private static void exec(Session s, List<String> execArgs, long revision, Event ev) {
        ProcessBuilder pb = new ProcessBuilder(execArgs);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(s.inv().console().env());
        env.put("ETCD_WATCH_REVISION", Long.toString(revision));
        env.put("ETCD_WATCH_EVENT_TYPE", GoQuote.quote(ev.getType().name()));
        env.put("ETCD_WATCH_KEY", GoQuote.quote(ev.getKv().getKey().toByteArray()));
        env.put("ETCD_WATCH_VALUE", GoQuote.quote(ev.getKv().getValue().toByteArray()));
        int code;
        String failure;
        try {
            Process proc = pb.start();
            proc.getOutputStream().close();
            Thread t1 = pump(proc.getInputStream(), s.inv().console().out());
            Thread t2 = pump(proc.getErrorStream(), s.inv().console().err());
            code = proc.waitFor();
            t1.join();
            t2.join();
            failure = code == 0 ? null : "exit status " + code;
        } catch (IOException e) {
            failure = "exec: " + GoQuote.quote(execArgs.get(0)) + ": executable file not found in $PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "signal: interrupt";
        }
        if (failure != null) {
            StringBuilder q = new StringBuilder("[");
            for (int i = 0; i < execArgs.size(); i++) {
                if (i > 0) q.append(' ');
                q.append(GoQuote.quote(execArgs.get(i)));
            }
            q.append(']');
            s.err().println("command " + q + " error (" + failure + ")");
            throw new ExitException(1);
        }
    }

    private static Thread pump(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                // the child's stream closed
            }
        });
        t.start();
        return t;
    }

    /** watch -i: one watcher per "watch ..." line, "progress" asks every watcher for progress. */
    private static void interactive(Invocation inv, String envKey, String envRange) {
        Session s = new Session(inv);
        EtcdClient c = s.client();
        TxnCommand.LineReader reader = new TxnCommand.LineReader(inv.console().in());
        List<WatchStream> streams = new ArrayList<>();
        while (true) {
            String l = reader.readLine();
            if (l == null) {
                throw s.fail(ExitCodes.INVALID_INPUT, "Error reading watch request line: EOF");
            }
            List<String> args = Argify.split(l);
            if (args.isEmpty()) {
                s.err().printf("Invalid command: %s (watch and progress supported)\n", l);
                continue;
            }
            switch (args.get(0)) {
                case "watch" -> {
                    if (args.size() < 2 && envKey.isEmpty()) {
                        s.err().printf("Invalid command %s (command type or key is not provided)\n", l);
                        continue;
                    }
                    List<String> rest = args.subList(1, args.size());
                    int sep = rest.indexOf("--");
                    if (sep >= 0 && sep == rest.size() - 1) {
                        throw s.fail(ExitCodes.BAD_ARGS, "bad number of arguments (found separator --, but no commands)");
                    }
                    FlagSet fs = new FlagSet();
                    addFlags(fs);
                    FlagSet.Parsed parsed;
                    try {
                        parsed = fs.parse(rest);
                    } catch (FlagSet.ParseException e) {
                        throw s.fail(ExitCodes.BAD_ARGS, e.getMessage());
                    }
                    List<String> pArgs = new ArrayList<>(parsed.args());
                    List<String> execArgs = sep >= 0 ? new ArrayList<>(rest.subList(sep + 1, rest.size())) : List.of();
                    if (sep < 0 && envKey.isEmpty() && pArgs.isEmpty()) {
                        throw s.fail(ExitCodes.BAD_ARGS, "bad number of arguments");
                    }
                    if (sep < 0 && !pArgs.isEmpty() && !envKey.isEmpty()) {
                        throw s.fail(ExitCodes.BAD_ARGS, "bad number of arguments (found conflicting environment key)");
                    }
                    if (!envKey.isEmpty()) {
                        List<String> ranges = new ArrayList<>(List.of(envKey));
                        if (!envRange.isEmpty()) {
                            ranges.add(envRange);
                        }
                        ranges.addAll(pArgs);
                        pArgs = ranges;
                    }
                    if (sep >= 0) {
                        int endIdx = pArgs.size() - 1;
                        while (endIdx >= 0 && !pArgs.get(endIdx).equals(rest.get(sep + 1))) {
                            endIdx--;
                        }
                        pArgs = new ArrayList<>(pArgs.subList(0, Math.max(0, endIdx)));
                    }
                    Options o = new Options((Boolean) fs.lookup("prefix").value(), (Long) fs.lookup("rev").value(),
                            (Boolean) fs.lookup("prev-kv").value());
                    if (pArgs.isEmpty()) {
                        s.err().printf("Invalid command %s (%s)\n", l, "bad number of arguments");
                        continue;
                    }
                    WatchCreateRequest req;
                    try {
                        req = buildRequest(pArgs, o, IllegalArgumentException::new);
                    } catch (IllegalArgumentException e) {
                        s.err().printf("Invalid command %s (%s)\n", l, e.getMessage());
                        continue;
                    }
                    WatchStream w = new WatchStream(c, req);
                    streams.add(w);
                    List<String> ex = execArgs;
                    Thread t = new Thread(() -> {
                        try {
                            printStream(s, w, ex);
                        } catch (InterruptedException | RuntimeException e) {
                            // stream over
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                }
                case "progress" -> streams.forEach(WatchStream::requestProgress);
                default -> s.err().printf("Invalid command %s (only support watch)\n", l);
            }
        }
    }
}
