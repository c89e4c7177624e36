package io.etcdj.raft;

import com.google.protobuf.ByteString;

/**
 * The answer to {@link RawNode#readIndex}: the read identified by {@code requestCtx} may be
 * served once the application has applied at least {@code index}.
 */
public record ReadState(long index, ByteString requestCtx) {}
