package io.etcdj.mvcc.lease;

import java.util.List;

import com.google.protobuf.ByteString;

/**
 * What {@link Lessor#timeToLive} and {@link Lessor#leases} report about one lease.
 *
 * @param grantedTtl the TTL granted (after the minimum-TTL rule), seconds
 * @param remainingTtl seconds until expiry, truncated (etcd's {@code int64(Remaining().Seconds())}); on a
 *     member that is not primary the lease does not count down and this is its checkpointed remaining TTL
 *     or, without one, the granted TTL
 * @param keys the attached keys in byte order (empty unless asked for)
 */
public record LeaseInfo(long id, long grantedTtl, long remainingTtl, List<ByteString> keys) {
}
