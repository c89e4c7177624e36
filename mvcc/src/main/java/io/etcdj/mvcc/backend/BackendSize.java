package io.etcdj.mvcc.backend;

/**
 * Approximate sizes of the backend in bytes, from RocksDB properties summed over all column families.
 *
 * @param total physically allocated: SST files plus memtables (etcd's {@code dbSize})
 * @param inUse estimated live data: RocksDB's live-data estimate plus memtables (etcd's {@code dbSizeInUse})
 */
public record BackendSize(long total, long inUse) {
}
