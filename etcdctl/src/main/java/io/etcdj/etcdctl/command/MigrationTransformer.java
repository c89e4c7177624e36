package io.etcdj.etcdctl.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.v2.http.GoJson;
import io.etcdj.server.v2.http.V2Json;
import io.etcdj.server.v2.store.NodeView;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code migrate --transformer PROGRAM}: the program reads the v2 nodes on its stdin, one JSON
 * object after another (the v2 API's node shape, without "nodes"), and writes the v3 keys on its
 * stdout, each as an 8-byte little-endian length and a serialized {@code mvccpb.KeyValue}. Its
 * stderr is passed through. The keys count only if it then exits with status 0.
 */
final class MigrationTransformer implements AutoCloseable {
    /** The keys read, or why the program failed (etcd's text: "exit status N"). */
    record Outcome(List<KeyValue> keys, String failure) {}

    private final Process process;
    private final Thread stderrPump;

    private MigrationTransformer(Process process, Thread stderrPump) {
        this.process = process;
        this.stderrPump = stderrPump;
    }

    /** Starts {@code program}; a program that cannot be run is reported as Go's exec reports it. */
    static MigrationTransformer start(String program, PrintStream err) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(program).start();
        } catch (IOException e) {
            throw new IOException(goExecError(program, String.valueOf(e.getMessage())), e);
        }
        Thread pump = copying(p.getErrorStream(), err, "migrate-transformer-stderr");
        return new MigrationTransformer(p, pump);
    }

    /** Go's wording for a program that did not start (Java says "Cannot run program ...: error=2, ..."). */
    static String goExecError(String program, String javaMessage) {
        boolean missing = javaMessage.contains("error=2,");
        if (missing && !program.contains("/")) {
            return "exec: \"" + program + "\": executable file not found in $PATH";
        }
        String cause = missing ? "no such file or directory"
                : javaMessage.contains("error=13,") ? "permission denied" : javaMessage;
        return "fork/exec " + program + ": " + cause;
    }

    /** Hands {@code nodes} to the program and reads its keys until it closes its stdout. */
    Outcome transform(List<NodeView> nodes) throws IOException, InterruptedException {
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                for (NodeView n : nodes) {
                    GoJson j = new GoJson();
                    V2Json.node(j, n);
                    in.write(j.toString().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException stoppedReading) {
                // the program closed its stdin early; what it wrote still counts
            }
        }, "migrate-transformer-stdin");
        feeder.setDaemon(true);
        feeder.start();
        List<KeyValue> keys = readKeys(process.getInputStream());
        int status = process.waitFor();
        feeder.join();
        stderrPump.join();
        return new Outcome(keys, status == 0 ? null : "exit status " + status);
    }

    /** Length-prefixed KeyValues up to the end of the stream; a torn or undecodable record ends the list (as etcd's). */
    private static List<KeyValue> readKeys(InputStream stream) throws IOException {
        List<KeyValue> keys = new ArrayList<>();
        DataInputStream in = new DataInputStream(stream);
        byte[] length = new byte[8];
        try {
            while (true) {
                in.readFully(length);
                long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (n < 0 || n > Integer.MAX_VALUE) {
                    break;
                }
                byte[] kv = new byte[(int) n];
                in.readFully(kv);
                keys.add(KeyValue.parseFrom(kv));
            }
        } catch (EOFException | InvalidProtocolBufferException end) {
            // the end of the keys
        }
        in.transferTo(OutputStream.nullOutputStream());
        return keys;
    }

    private static Thread copying(InputStream from, PrintStream to, String name) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
            } catch (IOException closed) {
                // the program is gone
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Ends the program if it is still running (a migration that stopped before handing it the keys). */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
