package io.etcdj.robustness.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.robustness.traffic.History;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-made resumed watches against a hand-made log: a2 means key a's second value.
 * 2: put a=a1 · 3: put b=b1 · 4: put a=a2 · 5: delete b · 6: put b=b2 · 7: delete a.
 */
class ResumedWatchVerifierTest {

    private static final KeyValue A1 = kv("a", "a1", 2, 2, 1);
    private static final KeyValue B1 = kv("b", "b1", 3, 3, 1);
    private static final KeyValue A2 = kv("a", "a2", 2, 4, 2);
    private static final KeyValue B2 = kv("b", "b2", 6, 6, 1);

    private final ReferenceLog log = log();

    private static KeyValue kv(String key, String value, long create, long mod, long version) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
                .setCreateRevision(create).setModRevision(mod).setVersion(version).build();
    }

    private static Event put(KeyValue kv, KeyValue prev) {
        Event.Builder b = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
        return prev == null ? b.build() : b.setPrevKv(prev).build();
    }

    private static Event delete(String key, long rev, KeyValue prev) {
        Event.Builder b = Event.newBuilder().setType(Event.EventType.DELETE)
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setModRevision(rev));
        return prev == null ? b.build() : b.setPrevKv(prev).build();
    }

    private static WatchResponse events(Event... events) {
        WatchResponse.Builder b = WatchResponse.newBuilder();
        for (Event e : events) {
            b.addEvents(e);
        }
        return b.build();
    }

    private static WatchResponse compacted(long at) {
        return WatchResponse.newBuilder().setCompactRevision(at).setCanceled(true).build();
    }

    private static ReferenceLog log() {
        History history = new History();
        for (KeyValue kv : new KeyValue[] {A1, B1, A2, B2}) {
            history.mayHaveWritten(kv.getValue().toStringUtf8());
            history.acked(new History.AckedWrite(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8(), kv.getModRevision()));
        }
        ResumingWatch reference = new ResumingWatch(0, WatchedRange.allKeys(), true, 1, () -> 0);
        reference.openForTest("m1", 0);
        reference.receiveForTest(events(put(A1, null), put(B1, null), put(A2, A1), delete("b", 5, B1), put(B2, null),
                delete("a", 7, A2)));
        ReferenceLog log = new ReferenceLog(reference, history, Set.of());
        assertThat(log.violations()).isEmpty();
        return log;
    }

    private static ResumingWatch watch(String key, long from) {
        return new ResumingWatch(1, WatchedRange.single(key), true, from, () -> 0);
    }

    private ResumedWatchVerifier verify(ResumingWatch w, Set<Long> compactions) {
        ResumedWatchVerifier v = new ResumedWatchVerifier(log, compactions);
        v.verify(w);
        return v;
    }

    @Test
    void aWatchResumedAfterItsLastEventMatchesTheLog() {
        ResumingWatch w = watch("a", 2);
        w.openForTest("m1", 0);
        w.receiveForTest(events(put(A1, null), put(A2, A1)));
        w.breakSegment(true);
        assertThat(w.next()).isEqualTo(5);
        w.openForTest("m2", 0);
        w.receiveForTest(events(delete("a", 7, A2)));

        ResumedWatchVerifier v = verify(w, Set.of());
        assertThat(w.violations()).isEmpty();
        assertThat(v.violations()).isEmpty();
        assertThat(v.eventsChecked()).isEqualTo(3);
    }

    @Test
    void aSkippedEventIsAGap() {
        ResumingWatch w = watch("a", 2);
        w.openForTest("m1", 0);
        w.receiveForTest(events(put(A1, null), delete("a", 7, A2)));

        assertThat(verify(w, Set.of()).violations()).singleElement().asString().contains("where the log has PUT a@4", "(a gap)");
    }

    @Test
    void anEventAtOrBelowTheRevisionResumedAfterIsCaughtOnArrival() {
        ResumingWatch w = watch("a", 2);
        w.openForTest("m1", 0);
        w.receiveForTest(events(put(A1, null), put(A2, A1)));
        w.breakSegment(false);
        w.openForTest("m2", 0);
        w.receiveForTest(events(put(A2, A1), delete("a", 7, A2)));

        assertThat(w.violations()).singleElement().asString().contains("PUT a@4 below revision 5");
    }

    @Test
    void aWrongPrevKvIsCaught() {
        ResumingWatch w = watch("a", 3);
        w.openForTest("m1", 0);
        w.receiveForTest(events(put(A2, kv("a", "a0", 2, 2, 1))));

        assertThat(verify(w, Set.of()).violations()).singleElement().asString().contains("has prev_kv 'a0'@2 but the key held 'a1'@2");
    }

    @Test
    void aStartBelowAnAcknowledgedCompactionMustBeAnsweredCompacted() {
        ResumingWatch w = watch("a", 2);
        w.openForTest("m1", 4);
        w.receiveForTest(events(put(A1, null)));
        assertThat(w.violations()).singleElement().asString().contains("expected the compacted response");

        ResumingWatch ok = watch("a", 2);
        ok.openForTest("m1", 4);
        ok.receiveForTest(compacted(4));
        assertThat(ok.violations()).isEmpty();
        assertThat(ok.idle()).isTrue();
        assertThat(ok.next()).isEqualTo(4);
    }

    @Test
    void aCompactedResponseAtOrBelowTheStartIsWrong() {
        ResumingWatch w = watch("a", 5);
        w.openForTest("m1", 0);
        w.receiveForTest(compacted(5));
        assertThat(w.violations()).singleElement().asString().contains("compacted response at 5 for a watch asking from 5");
    }

    @Test
    void theDeleteAtTheCompactionRevisionMayBeMissingFromASegmentStartingThere() {
        ResumingWatch w = watch("b", 2);
        w.openForTest("m1", 0);
        w.receiveForTest(compacted(5));
        w.openForTest("m2", 0);
        w.receiveForTest(events(put(B2, null)));

        ResumedWatchVerifier allowed = verify(w, Set.of(5L));
        assertThat(allowed.violations()).isEmpty();
        assertThat(allowed.summary()).contains("1 delete at the compaction revision");
        assertThat(verify(w, Set.of()).violations()).singleElement().asString().contains("where the log has DELETE b@5");
    }
}
