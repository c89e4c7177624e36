package io.etcdj.raft.purity;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.RawNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Architecture test: raft's hand-written main code must not touch files, sockets, threads,
 * executors or the wall clock. It scans the compiled classes' constant pools. The generated
 * protobuf classes (io.etcdj.raft.pb) are excluded: their parse-from-stream methods name
 * java.io types, which raft never calls.
 */
class RaftPurityTest {

  @Test
  void raftMainClassesArePure() throws Exception {
    Path classes = Path.of(RawNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path raftDir = classes.resolve("io/etcdj/raft");
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(raftDir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String rel = raftDir.relativize(p).toString();
        if (rel.startsWith("pb")) {
          continue; // generated wire types
        }
        scanned++;
        violations.addAll(PurityRules.violations(rel, ClassFileReferences.read(Files.readAllBytes(p))));
      }
    }
    assertThat(scanned).as("classes scanned").isGreaterThan(20);
    assertThat(violations).isEmpty();
  }

  @Test
  void scannerFlagsEveryKindOfViolation() throws IOException {
    List<String> v = PurityRules.violations("ImpureFixture", read(ImpureFixture.class));
    assertThat(v).anyMatch(s -> s.contains("java.lang.System.nanoTime"));
    assertThat(v).anyMatch(s -> s.contains("java.lang.System.currentTimeMillis"));
    assertThat(v).anyMatch(s -> s.contains("java.io.File"));
    assertThat(v).anyMatch(s -> s.contains("java.lang.Thread"));
    assertThat(v).anyMatch(s -> s.contains("java.util.concurrent.Executors"));
    assertThat(v).anyMatch(s -> s.contains("java.net.InetAddress"));
  }

  @Test
  void scannerAcceptsPureCode() throws IOException {
    assertThat(PurityRules.violations("PureFixture", read(PureFixture.class))).isEmpty();
  }

  private static ClassFileReferences read(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return ClassFileReferences.read(in.readAllBytes());
    }
  }

}
