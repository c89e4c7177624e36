package io.etcdj.server.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.raft.ReadState;
import io.etcdj.server.EtcdException;
import io.etcdj.server.apply.AppliedIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reads are batched into ReadIndex rounds and released once applied reaches the read index. */
class ReadIndexBatcherTest {
    private final List<ByteString> asked = new ArrayList<>();
    private final AppliedIndex applied = new AppliedIndex(0);
    private final ReadIndexBatcher batcher = new ReadIndexBatcher(asked::add, applied, 3);

    @Test
    void readsQueuedDuringARoundShareTheNextRound() {
        CompletableFuture<Void> first = batcher.awaitReadable();
        CompletableFuture<Void> second = batcher.awaitReadable();
        CompletableFuture<Void> third = batcher.awaitReadable();
        assertThat(asked).hasSize(1); // one round in flight; the others wait for the next

        batcher.onReadStates(List.of(new ReadState(5, asked.get(0))));
        assertThat(asked).hasSize(2); // the next round starts at once for second and third
        assertThat(first).isNotDone(); // applied 0 < 5
        applied.advanceTo(5);
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();

        batcher.onReadStates(List.of(new ReadState(6, asked.get(1))));
        applied.advanceTo(6);
        assertThat(second).isCompleted();
        assertThat(third).isCompleted();
    }

    @Test
    void anUnansweredRoundIsAskedAgainWithAFreshContextAfterTheRetryTicks() {
        CompletableFuture<Void> read = batcher.awaitReadable();
        batcher.onTick();
        batcher.onTick();
        assertThat(asked).hasSize(1);
        batcher.onTick();
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).isNotEqualTo(asked.get(0));
        batcher.onReadStates(List.of(new ReadState(1, asked.get(0)))); // stale answer: ignored
        applied.advanceTo(1);
        assertThat(read).isNotDone();
        batcher.onReadStates(List.of(new ReadState(1, asked.get(1))));
        assertThat(read).isCompleted();
    }

    @Test
    void aChangeOfLeaderFailsTheRoundInFlightButTheFirstLeaderDoesNot() {
        CompletableFuture<Void> beforeAnyLeader = batcher.awaitReadable();
        batcher.onLeaderChange(7, 2);
        assertThat(beforeAnyLeader).isNotDone();
        assertThat(asked).hasSize(2); // asked again now that there is a leader
        batcher.onLeaderChange(8, 3);
        assertThat(beforeAnyLeader).isCompletedExceptionally();
        assertThat(beforeAnyLeader.handle((v, e) -> e).join()).isInstanceOfSatisfying(EtcdException.class,
                e -> assertThat(e.getMessage()).isEqualTo("etcdserver: leader changed"));
    }
}
