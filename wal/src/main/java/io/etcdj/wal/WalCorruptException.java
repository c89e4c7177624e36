package io.etcdj.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The WAL (or a snapshot file) does not verify at a place where a crash cannot explain it: a
 * crc mismatch, a bad header, a broken chain. The message names the file and the byte offset.
 */
public final class WalCorruptException extends IOException {
  private final Path file;
  private final long offset;

  public WalCorruptException(Path file, long offset, String what) {
    super("wal: corrupt record in " + file + " at byte offset " + offset + ": " + what);
    this.file = file;
    this.offset = offset;
  }

  /** The file that failed to verify. */
  public Path file() {
    return file;
  }

  /** The byte offset of the first frame in {@link #file()} that failed to verify. */
  public long offset() {
    return offset;
  }
}
