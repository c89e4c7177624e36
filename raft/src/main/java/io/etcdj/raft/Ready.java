package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.Snapshot;
import java.util.List;

/**
 * Everything a member wants done since the last {@link RawNode#ready()}. The application handles
 * a Ready in this order, then calls {@link RawNode#advance(Ready)}:
 *
 * <ol>
 *   <li>send {@code messages} (may happen in parallel with step 2);
 *   <li>persist {@code snapshot}, {@code entries} (overwriting any conflicting tail) and
 *       {@code hardState}, with an fsync when {@code mustSync};
 *   <li>only then send {@code messagesAfterPersist};
 *   <li>apply {@code snapshot} and then {@code committedEntries} in order; serve each read of
 *       {@code readStates} once applied reaches its index.
 * </ol>
 *
 * <p>Invariants: {@code committedEntries} only contain entries that were durable (advanced)
 * before this Ready was produced, so applying never runs ahead of the local log; and
 * {@code committedEntries} is empty when {@code snapshot} is not null.
 *
 * @param softState null if unchanged since the previous Ready
 * @param hardState null if unchanged since the previous Ready
 * @param snapshot null if none
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    List<Message> messagesAfterPersist,
    boolean mustSync) {

  public Ready {
    readStates = List.copyOf(readStates);
    entries = List.copyOf(entries);
    committedEntries = List.copyOf(committedEntries);
    messages = List.copyOf(messages);
    messagesAfterPersist = List.copyOf(messagesAfterPersist);
  }

  /** True if there is nothing to persist (no entries, hard state or snapshot). */
  public boolean nothingToPersist() {
    return entries.isEmpty() && hardState == null && snapshot == null;
  }
}
