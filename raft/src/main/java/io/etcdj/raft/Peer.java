package io.etcdj.raft;

import com.google.protobuf.ByteString;

/** A founding member of a new group, for {@link RawNode#bootstrap}. {@code context} goes into the ConfChange. */
public record Peer(long id, ByteString context) {
  public Peer {
    if (id == 0) {
      throw new IllegalArgumentException("peer id must not be 0");
    }
    context = context == null ? ByteString.EMPTY : context;
  }

  public static Peer of(long id) {
    return new Peer(id, ByteString.EMPTY);
  }
}
