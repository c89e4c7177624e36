package io.etcdj.mvcc.backend;

import java.nio.charset.StandardCharsets;

/**
 * The schema's buckets: each is one RocksDB column family, named like etcd's bolt bucket.
 *
 * <ul>
 *   <li>{@link #KEY}: revision key ({@link io.etcdj.mvcc.Revision} encoding) to a serialized
 *       {@code mvccpb.KeyValue};</li>
 *   <li>{@link #META}: the consistent index and term, the scheduled and finished compaction
 *       revisions (see {@link MetaKeys});</li>
 *   <li>{@link #LEASE}: lease id to lease record (owned by the lessor);</li>
 *   <li>{@link #AUTH}, {@link #AUTH_USERS}, {@link #AUTH_ROLES}: the auth store;</li>
 *   <li>{@link #MEMBERS}, {@link #MEMBERS_REMOVED}, {@link #CLUSTER}: membership;</li>
 *   <li>{@link #ALARM}: raised alarms (see {@link io.etcdj.mvcc.alarm.AlarmStore}).</li>
 * </ul>
 * The declaration order is the order in which {@link Backend#hash} visits buckets; never reorder.
 */
public enum Bucket {
    KEY("key"),
    META("meta"),
    LEASE("lease"),
    AUTH("auth"),
    AUTH_USERS("authUsers"),
    AUTH_ROLES("authRoles"),
    MEMBERS("members"),
    MEMBERS_REMOVED("members_removed"),
    CLUSTER("cluster"),
    ALARM("alarm");

    private final String bucketName;

    Bucket(String bucketName) {
        this.bucketName = bucketName;
    }

    public String bucketName() {
        return bucketName;
    }

    public byte[] nameBytes() {
        return bucketName.getBytes(StandardCharsets.UTF_8);
    }
}
