package io.etcdj.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next segment file in the background so that moving to a new segment does not
 * wait for 64 MB of zeros: one daemon thread writes {@code prealloc-<n>.tmp}, filled with
 * zeros to the segment size (real blocks, not a sparse file, so later appends are pure
 * overwrites and fdatasync never has to log allocation or size changes) and fsynced.
 *
 * <p>Invariant: at most one file is being prepared or waiting to be taken at any time; it is
 * deleted on {@link #close()} if nobody took it.
 */
final class SegmentPreparer implements AutoCloseable {
  private static final int ZERO_CHUNK = 1 << 20;

  private final Path dir;
  private final long segmentBytes;
  private final ExecutorService thread;
  private int counter;
  private Future<Path> next;

  /** Starts the preparer thread and the preparation of the first file. */
  static SegmentPreparer start(Path dir, long segmentBytes) {
    return new SegmentPreparer(dir, segmentBytes);
  }

  private SegmentPreparer(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "wal-segment-preparer " + dir);
      t.setDaemon(true);
      return t;
    });
    this.next = submit();
  }

  /**
   * A zero-filled, fsynced file of the segment size that the caller now owns (it renames it
   * into place); waits for it if it is still being written, and starts preparing the next.
   */
  Path take() throws IOException {
    Path ready;
    try {
      ready = next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the next WAL segment");
    } catch (ExecutionException e) {
      next = submit();
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException("preparing a WAL segment", c);
    }
    next = submit();
    return ready;
  }

  private Future<Path> submit() {
    String name = "prealloc-" + (counter++) + ".tmp";
    return thread.submit(() -> prepare(dir.resolve(name)));
  }

  private Path prepare(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      zeroFill(ch, 0, segmentBytes);
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  /** Writes zeros over [from, to) of the file. */
  static void zeroFill(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, Math.max(0, to - from)));
    long pos = from;
    while (pos < to) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
      while (zeros.hasRemaining()) {
        pos += ch.write(zeros, pos);
      }
    }
  }

  /** Stops the thread and deletes a prepared file nobody took. */
  @Override
  public void close() throws IOException {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
      Path unused = next.get();
      Files.deleteIfExists(unused);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // nothing was left behind: prepare() deletes its file on failure
    }
  }
}
