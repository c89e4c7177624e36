package io.etcdj.etcdutl.golden;

import io.etcdj.etcdutl.EtcdutlMain;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** One run of an etcdutl (etcd 3.5.16's as a process, ours in-process): output bytes and exit code. */
record EtcdutlRun(String stdout, String stderr, int code) {

    /**
     * etcd 3.5.16's etcdutl, beside the etcd that {@code $ETCD35_BIN} names. A compatibility test never
     * skips: without it the test fails saying what to set.
     */
    static Path referenceBinary() {
        String etcd = System.getenv("ETCD35_BIN");
        if (etcd == null || etcd.isEmpty()) {
            throw new AssertionError("ETCD35_BIN is not set: it must name etcd 3.5.16's etcd binary, with its "
                    + "etcdutl beside it (./test-all sets it; by hand: ETCD35_BIN=<dir>/usr/bin/etcd)");
        }
        Path etcdutl = Path.of(etcd).resolveSibling("etcdutl");
        if (!Files.isExecutable(etcdutl)) {
            throw new AssertionError("ETCD35_BIN=" + etcd + " but there is no executable " + etcdutl);
        }
        return etcdutl;
    }

    static EtcdutlRun reference(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(referenceBinary().toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("etcdutl 3.5.16 did not finish within 60s: " + args);
        }
        return new EtcdutlRun(new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8),
                p.exitValue());
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    static EtcdutlRun ours(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EtcdutlMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new EtcdutlRun(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }

    /** The same run with {@code mask} applied to both streams. */
    EtcdutlRun masked(UnaryOperator<String> mask) {
        return new EtcdutlRun(mask.apply(stdout), mask.apply(stderr), code);
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
