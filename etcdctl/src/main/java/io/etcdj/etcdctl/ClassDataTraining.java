package io.etcdj.etcdctl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * A build step, not a command: runs a few etcdctl commands in-process (against a loopback port
 * nobody listens on, so they fail fast after loading the client's classes) and exits. The build
 * runs it under {@code -XX:ArchiveClassesAtExit} so that {@code bin/etcdctl} maps those classes
 * from a class-data archive instead of loading them on every invocation. Always exits 0.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {}

    public static void main(String[] args) throws IOException {
        String endpoint = "--endpoints=127.0.0.1:" + unusedPort();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (List<String> command : List.of(
                List.of("version"),
                List.of(endpoint, "--dial-timeout=300ms", "put", "k", "v"),
                List.of(endpoint, "--dial-timeout=300ms", "-w", "table", "endpoint", "status"),
                List.of(endpoint, "--dial-timeout=300ms", "-w", "json", "get", "k"))) {
            try {
                EtcdctlMain.run(command, Map.of(), new ByteArrayInputStream(new byte[0]), quiet, quiet);
            } catch (RuntimeException e) {
                System.err.println("class-data training: etcdctl " + command + " failed: " + e);
            }
        }
        System.exit(0);
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort(); // closed again: connecting to it is refused at once
        }
    }
}
