package io.etcdj.wal;

import java.nio.file.Path;

/**
 * The child of {@link DataDirTest}: tries to open a data dir. Prints "locked: &lt;message&gt;"
 * and exits if it is in use; otherwise prints "acquired" and holds the lock until its stdin
 * closes. Arguments: dataDir [walDir]
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    Path walDir = args.length > 1 ? Path.of(args[1]) : null;
    try (DataDir d = DataDir.open(Path.of(args[0]), walDir)) {
      System.out.println("acquired");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent closes our stdin
      }
    } catch (DataDirLockedException e) {
      System.out.println("locked: " + e.getMessage());
    }
  }
}
