package io.etcdj.wal;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures WAL appends with group commit: entries/s and fsyncs/s for batches of 1, 10 and 100
 * entries of 256 bytes, each batch one {@code save(..., sync=true)}, with etcd's 64 MB
 * segments. Then, as a baseline for the preallocation choice, raw 256-byte append+fdatasync
 * on a growing file versus over a zero-filled preallocated one.
 *
 * <p>Run: {@code java -cp wal/target/classes:wal/target/test-classes:<raft and protobuf jars>
 * io.etcdj.wal.WalAppendBenchmark [dir] [seconds-per-case] [raw-only]}
 */
public final class WalAppendBenchmark {
  private WalAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("wal-bench");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    boolean rawOnly = args.length > 2 && args[2].equals("raw-only");
    System.out.printf("WAL append benchmark in %s, %.1f s per case, 256-byte entries%n", base,
        seconds);
    for (int batch = 1; !rawOnly && batch <= 100; batch *= 10) {
      Path dir = base.resolve("wal-batch-" + batch);
      run(dir, batch, seconds, WalOptions.DEFAULTS);
      deleteTree(dir);
    }
    if (!rawOnly) {
      System.out.println("with 4 MB segments, to see what segment cuts cost:");
      Path dir = base.resolve("wal-cuts");
      run(dir, 100, seconds, WalOptions.DEFAULTS.withSegmentBytes(4_000_000));
      deleteTree(dir);
    }
    for (int round = 0; round < 2; round++) { // alternate, the machine is noisy
      rawFdatasync(base, seconds, false);
      rawFdatasync(base, seconds, true);
    }
  }

  private static void run(Path dir, int batch, double seconds, WalOptions options)
      throws IOException {
    ByteString data = ByteString.copyFrom(new byte[256]);
    try (Wal wal = Wal.create(dir, new byte[16], options)) {
      long index = 1;
      long syncs = 0;
      long[] latencies = new long[1 << 20];
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long now = start;
      while (now < end) {
        List<Entry> es = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          es.add(Entry.newBuilder().setIndex(index).setTerm(1).setData(data).build());
          index++;
        }
        HardState hs = HardState.newBuilder().setTerm(1).setVote(1).setCommit(index - 1).build();
        long t0 = System.nanoTime();
        wal.save(hs, es, true);
        now = System.nanoTime();
        if (syncs < latencies.length) {
          latencies[(int) syncs] = now - t0;
        }
        syncs++;
      }
      double elapsed = (now - start) / 1e9;
      long[] l = Arrays.copyOf(latencies, (int) Math.min(syncs, latencies.length));
      Arrays.sort(l);
      System.out.printf("batch %3d: %9.0f entries/s  %7.0f fsyncs/s  save p50 %.2f ms  p99 %.2f"
          + " ms  max %.2f ms  (%d segments)%n", batch, (index - 1) / elapsed, syncs / elapsed,
          l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6,
          wal.segmentFiles().size());
    }
  }

  /** 256-byte writes, each followed by fdatasync, at the end of a file. */
  private static void rawFdatasync(Path base, double seconds, boolean preallocated)
      throws IOException {
    Path f = base.resolve("raw.bin");
    Files.deleteIfExists(f);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (preallocated) {
        SegmentPreparer.zeroFill(ch, 0, 64L * 1000 * 1000);
        ch.force(true);
      }
      ByteBuffer b = ByteBuffer.allocateDirect(256);
      long pos = 0;
      long n = 0;
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        b.clear();
        pos += ch.write(b, pos);
        ch.force(false);
        n++;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf("raw 256 B write+fdatasync, %s: %7.0f fsyncs/s%n",
          preallocated ? "over a zero-filled preallocated file" : "appending to a growing file ",
          n / elapsed);
    }
    Files.delete(f);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
