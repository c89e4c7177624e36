package io.etcdj.api;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A single-member reference etcd (the installed {@code etcd} binary, or {@code $ETCD_BIN}) on
 * 127.0.0.1 with a throw-away data dir, for tests that check our classes against real etcd
 * bytes. Closing it stops the process and deletes the data dir.
 */
final class ReferenceEtcd implements AutoCloseable {

  final Path dir;
  final int clientPort;
  final ManagedChannel channel;
  private final Process process;

  private ReferenceEtcd(Path dir, int clientPort, Process process) {
    this.dir = dir;
    this.clientPort = clientPort;
    this.process = process;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
  }

  /** The etcd binary to run, if this machine has one. */
  static Optional<Path> binary() {
    String explicit = System.getenv("ETCD_BIN");
    if (explicit != null && !explicit.isEmpty()) {
      return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "etcd");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static ReferenceEtcd start(Path binary) throws IOException {
    Path dir = Files.createTempDirectory("etcdj-api-reference-");
    int clientPort = freePort();
    int peerPort = freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    Process process = new ProcessBuilder(List.of(binary.toString(),
        "--name", "reference",
        "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "reference=" + peer))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("etcd.log").toFile())
        .start();
    return new ReferenceEtcd(dir, clientPort, process);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("etcd.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
