package io.etcdj.mvcc;

/**
 * The result of {@link KvStore#hashKv(long)}.
 *
 * @param hash CRC-32C (as an unsigned 32-bit value in an int) of the {@code key} bucket up to the revision
 * @param currentRev the store's revision when hashing began
 * @param compactRev the compaction revision when hashing began
 */
public record HashKvResult(int hash, long currentRev, long compactRev) {
}
