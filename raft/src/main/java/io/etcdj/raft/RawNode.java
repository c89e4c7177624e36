package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Message;
import java.util.List;

/** API skeleton; the implementation follows in the next commits. */
public final class RawNode {
  public RawNode(RaftConfig cfg) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public void bootstrap(List<Peer> peers) { throw new UnsupportedOperationException(); }
  public void tick() { throw new UnsupportedOperationException(); }
  public void campaign() { throw new UnsupportedOperationException(); }
  public void propose(ByteString data) { throw new UnsupportedOperationException(); }
  public void proposeConfChange(ConfChange cc) { throw new UnsupportedOperationException(); }
  public ConfState applyConfChange(ConfChange cc) { throw new UnsupportedOperationException(); }
  public void step(Message m) { throw new UnsupportedOperationException(); }
  public boolean hasReady() { throw new UnsupportedOperationException(); }
  public Ready ready() { throw new UnsupportedOperationException(); }
  public void advance(Ready rd) { throw new UnsupportedOperationException(); }
  public void readIndex(ByteString requestCtx) { throw new UnsupportedOperationException(); }
  public void transferLeader(long transferee) { throw new UnsupportedOperationException(); }
  public void reportUnreachable(long id) { throw new UnsupportedOperationException(); }
  public void reportSnapshot(long id, SnapshotStatus status) { throw new UnsupportedOperationException(); }
  public Status status() { throw new UnsupportedOperationException(); }
}
