package io.etcdj.mvcc.backend;

/**
 * Where a test may crash the process inside the backend, by gofail name: around every commit
 * ({@code beforeCommit}, {@code afterCommit}), every batch of a physical compaction and its final
 * mark, and a defragmentation. The server installs its failpoint registry only when failpoints are
 * enabled; otherwise {@link #NONE} is the only implementation ever seen, and the call folds away.
 */
@FunctionalInterface
public interface BackendFailpoints {
    BackendFailpoints NONE = name -> { };

    /** Reached the point {@code name}; may not return (the process halts). */
    void reach(String name);
}
