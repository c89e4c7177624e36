package io.etcdj.etcdctl.print;

import java.util.List;

/**
 * What {@code snapshot status} reports of a snapshot file (etcd's snapshot.Status): a hash of the
 * backend's contents, the store's revision, the number of keys in every bucket and the backend's size.
 */
public record DbStatus(long hash, long revision, long totalKey, long totalSize) {
    public static final List<String> HEADER = List.of("hash", "revision", "total keys", "total size");

    /** The row simple and table print: the hash in hex, the size in human units. */
    public List<String> row() {
        return List.of(Long.toHexString(hash), Long.toString(revision), Long.toString(totalKey),
                HumanBytes.format(totalSize));
    }
}
