package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's queue of ReadIndex requests waiting for a heartbeat round to confirm leadership
 * ({@link ReadOnlyOption#SAFE}).
 *
 * <p>Each request is keyed by its context. A round of heartbeats carries the context of the
 * newest request queued when it was sent; a quorum acknowledging that context confirms it and
 * every request queued before it (they all arrived before the round went out). Requests queued
 * between two Readies share one round: {@link #takeUnsentRound()} yields one context per batch.
 *
 * <p>Invariants: {@code queue} and {@code pending} hold the same contexts; queue order is arrival
 * order; the read index of a request is the leader's commit index when it arrived.
 */
final class ReadOnly {
  /** One queued read: the request, the commit index at arrival, and who acknowledged it. */
  record Request(Message req, long index, Map<Long, Boolean> acks) {}

  private final ReadOnlyOption option;
  private final Map<ByteString, Request> pending = new HashMap<>();
  private final ArrayDeque<ByteString> queue = new ArrayDeque<>();
  private ByteString unsentRound;

  ReadOnly(ReadOnlyOption option) {
    this.option = option;
  }

  ReadOnlyOption option() {
    return option;
  }

  /** Queues a request (a duplicate context is ignored) and schedules a round for it. */
  void addRequest(long index, Message req) {
    ByteString ctx = req.getEntries(0).getData();
    if (pending.containsKey(ctx)) {
      return;
    }
    pending.put(ctx, new Request(req, index, new HashMap<>()));
    queue.addLast(ctx);
    unsentRound = ctx;
  }

  /** Records that {@code from} acknowledged the round for {@code ctx}; null if unknown. */
  Map<Long, Boolean> recvAck(long from, ByteString ctx) {
    Request r = pending.get(ctx);
    if (r == null) {
      return null;
    }
    r.acks().put(from, true);
    return r.acks();
  }

  /** Removes and returns every request up to and including {@code ctx}, oldest first. */
  List<Request> advance(ByteString ctx) {
    if (!pending.containsKey(ctx)) {
      return List.of();
    }
    List<Request> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      ByteString c = queue.pollFirst();
      out.add(pending.remove(c));
      if (c.equals(ctx)) {
        break;
      }
    }
    if (unsentRound != null && !pending.containsKey(unsentRound)) {
      unsentRound = null;
    }
    return out;
  }

  /** The context of the newest queued request (sent with regular heartbeats), or empty. */
  ByteString lastPendingRequestCtx() {
    return queue.isEmpty() ? ByteString.EMPTY : queue.peekLast();
  }

  boolean hasUnsentRound() {
    return unsentRound != null;
  }

  /** The context a new heartbeat round must carry, once; null if no round is due. */
  ByteString takeUnsentRound() {
    ByteString c = unsentRound;
    unsentRound = null;
    return c;
  }

  int pendingCount() {
    return queue.size();
  }
}
