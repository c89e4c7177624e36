package io.etcdj.mvcc.index;

import io.etcdj.mvcc.Revision;

/**
 * What the index knows about a live key at some revision: the revision of its value ({@code modified}),
 * the creation revision of its generation and its version there.
 */
public record KeyRevision(byte[] key, Revision modified, Revision created, long version) {
}
