package io.etcdj.mvcc.backend;

/** Receives the entries of a bucket scan in key order; returns {@code false} to stop the scan. */
@FunctionalInterface
public interface KeyValueVisitor {
    boolean visit(byte[] key, byte[] value);
}
