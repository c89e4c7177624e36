package io.etcdj.raft.purity;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules that keep raft pure: no files, sockets, threads, executors or wall clock. Time is
 * {@code tick()} and randomness is injected.
 */
final class PurityRules {
  private static final List<String> FORBIDDEN_PACKAGES = List.of(
      "java/io/", "java/nio/file/", "java/nio/channels/", "java/net/");
  private static final List<String> FORBIDDEN_CLASSES = List.of(
      "java/lang/Thread", "java/lang/ThreadGroup", "java/lang/Runnable",
      "java/util/Timer", "java/util/TimerTask",
      "java/util/concurrent/Executor", "java/util/concurrent/ExecutorService",
      "java/util/concurrent/ScheduledExecutorService", "java/util/concurrent/Executors",
      "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ScheduledThreadPoolExecutor",
      "java/util/concurrent/ForkJoinPool", "java/util/concurrent/CompletableFuture",
      "java/util/concurrent/locks/LockSupport", "java/lang/ThreadLocal");
  private static final List<String> FORBIDDEN_METHODS = List.of(
      "java/lang/System.currentTimeMillis", "java/lang/System.nanoTime",
      "java/lang/Object.wait", "java/time/Instant.now", "java/time/Clock.systemUTC",
      "java/time/Clock.systemDefaultZone", "java/lang/Math.random");

  private PurityRules() {}

  /** Human-readable violations of {@code className}; empty if it is pure. */
  static List<String> violations(String className, ClassFileReferences refs) {
    List<String> out = new ArrayList<>();
    for (String c : refs.classes) {
      for (String p : FORBIDDEN_PACKAGES) {
        if (c.startsWith(p)) {
          out.add(className + " refers to " + c.replace('/', '.'));
        }
      }
      if (FORBIDDEN_CLASSES.contains(c) || c.startsWith("java/lang/Thread$")) {
        out.add(className + " refers to " + c.replace('/', '.'));
      }
    }
    for (String m : refs.methods) {
      if (FORBIDDEN_METHODS.contains(m)) {
        out.add(className + " calls " + m.replace('/', '.'));
      }
    }
    return out;
  }
}
