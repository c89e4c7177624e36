package io.etcdj.mvcc;

import java.util.List;

import io.etcdj.api.mvccpb.KeyValue;

/**
 * A store-level range result.
 *
 * @param kvs the key-values in key order (empty for count-only ranges)
 * @param count the number of live keys in the whole range at the read revision (ignores the limit)
 * @param rev the view's current revision (not the read revision), as etcd reports it
 */
public record RangeResult(List<KeyValue> kvs, long count, long rev) {
}
