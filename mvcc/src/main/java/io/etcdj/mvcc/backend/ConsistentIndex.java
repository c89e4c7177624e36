package io.etcdj.mvcc.backend;

/**
 * The last raft entry whose effects are in the backend: {@code index} and its {@code term}.
 * {@code (0, 0)} means nothing has been applied.
 */
public record ConsistentIndex(long index, long term) {
    public static final ConsistentIndex NONE = new ConsistentIndex(0, 0);
}
