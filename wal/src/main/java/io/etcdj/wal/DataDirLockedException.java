package io.etcdj.wal;

import java.io.IOException;
import java.nio.file.Path;

/** Another process, or another open {@link DataDir} in this JVM, holds the directory's lock. */
public final class DataDirLockedException extends IOException {
  private final Path lockFile;

  DataDirLockedException(String message, Path lockFile) {
    super(message);
    this.lockFile = lockFile;
  }

  public Path lockFile() {
    return lockFile;
  }
}
