package io.etcdj.etcdctl.golden;

import io.etcdj.etcdctl.EtcdctlMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of an etcdctl (reference as a process, ours in-process): output bytes and exit code. */
record ToolRun(String stdout, String stderr, int code) {
    static ToolRun reference(List<String> args, Map<String, String> env, String stdin) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("etcdctl");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread t0 = drain(p.getInputStream(), streams, 0);
        Thread t1 = drain(p.getErrorStream(), streams, 1);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("reference etcdctl did not finish within 30s: " + args);
        }
        t0.join();
        t1.join();
        return new ToolRun(new String(streams[0], StandardCharsets.ISO_8859_1),
                new String(streams[1], StandardCharsets.ISO_8859_1), p.exitValue());
    }

    private static Thread drain(InputStream in, byte[][] into, int slot) {
        Thread t = new Thread(() -> {
            try {
                into[slot] = in.readAllBytes();
            } catch (IOException e) {
                into[slot] = new byte[0];
            }
        });
        t.start();
        return t;
    }

    static ToolRun ours(List<String> args, Map<String, String> env, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EtcdctlMain.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolRun(out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1), code);
    }

    /** Replaces what legitimately differs between two runs. */
    ToolRun masked(List<Mask> masks) {
        String o = stdout;
        String e = stderr;
        for (Mask m : masks) {
            o = o.replaceAll(m.regex(), m.replacement());
            e = e.replaceAll(m.regex(), m.replacement());
        }
        return new ToolRun(o, e, code);
    }

    record Mask(String regex, String replacement) {}

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
