package io.etcdj.mvcc.index;

import java.util.List;

/**
 * The result of an index range: the first {@code limit} live keys in key order and the number of live
 * keys in the whole range.
 */
public record IndexRange(List<KeyRevision> keys, int total) {
}
