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
 * deleted on {@link #close()} if nobody took it. Preparation starts on {@link #prepareNext()}
 * (the WAL calls it when its tail segment is half full) or at the latest on {@link #take()}.
 */
final class SegmentPreparer implements AutoCloseable {
  private static final int ZERO_CHUNK = 1 << 20;

  private final Path dir;
  private final long segmentBytes;
  private final ExecutorService thread;
  private int counter;
  private Future<Path> next;

  /** Starts the preparer thread; no file is prepared until asked for. */
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
  }

  /** Starts preparing the next file in the background, unless one is already under way. */
  void prepareNext() {
    if (next == null) {
      next = submit();
    }
  }

  /**
   * A zero-filled, fsynced file of the segment size that the caller now owns (it renames it
   * into place); waits for it if it is still being written (or starts it first).
   */
  Path take() throws IOException {
    prepareNext();
    Path ready;
    try {
      ready = next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the next WAL segment");
    } catch (ExecutionException e) {
      next = null;
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException("preparing a WAL segment", c);
    }
    next = null;
    return ready;
  }

  private Future<Path> submit() {
    Path file = dir.resolve("prealloc-" + (counter++) + ".tmp");
    return thread.submit(() -> prepare(file));
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

  /**
   * Stops the thread, interrupting a preparation in progress, and deletes the file nobody
   * took (a file left behind by a crash is deleted when the WAL is next opened).
   */
  @Override
  public void close() throws IOException {
    thread.shutdownNow();
    try {
      thread.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (next != null) {
      Files.deleteIfExists(dir.resolve("prealloc-" + (counter - 1) + ".tmp"));
    }
  }
}
