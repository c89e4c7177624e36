package io.etcdj.robustness.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.robustness.traffic.History;
import org.junit.jupiter.api.Test;

/** Hand-made watch streams against a hand-made history. */
class WatchCheckerTest {

    private final History history = new History();
    private final WatchChecker checker = new WatchChecker(1);

    private static KeyValue kv(String key, String value, long rev) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
                .setModRevision(rev).build();
    }

    private static Event put(String key, String value, long rev, KeyValue prev) {
        Event.Builder b = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv(key, value, rev));
        if (prev != null) {
            b.setPrevKv(prev);
        }
        return b.build();
    }

    private static Event delete(String key, long rev, KeyValue prev) {
        return Event.newBuilder().setType(Event.EventType.DELETE)
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setModRevision(rev)).setPrevKv(prev).build();
    }

    private static WatchResponse response(Event... events) {
        WatchResponse.Builder b = WatchResponse.newBuilder();
        for (Event e : events) {
            b.addEvents(e);
        }
        return b.build();
    }

    private void wrote(String key, String value, long rev) {
        history.mayHaveWritten(value);
        history.acked(new History.AckedWrite(key, value, rev));
    }

    @Test
    void aCorrectStreamPasses() {
        wrote("a", "1", 2);
        wrote("b", "2", 3);
        wrote("a", "3", 4);
        wrote("a", null, 5);
        checker.accept(response(put("a", "1", 2, null)));
        checker.accept(response(put("b", "2", 3, null), put("a", "3", 4, kv("a", "1", 2))));
        checker.accept(response(delete("a", 5, kv("a", "3", 4))));
        assertThat(checker.verify(history)).isEmpty();
        assertThat(checker.missingAcknowledgedWrites(history)).isZero();
        assertThat(checker.lastRevision()).isEqualTo(5);
    }

    @Test
    void aMissingAcknowledgedWriteIsALostWrite() {
        wrote("a", "1", 2);
        wrote("a", "2", 3);
        checker.accept(response(put("a", "1", 2, null)));
        checker.accept(response(put("x", "other", 4, null)));
        assertThat(checker.missingAcknowledgedWrites(history)).isEqualTo(1);
        assertThat(checker.verify(history)).anyMatch(v -> v.contains("AckedWrite[key=a, value=2, revision=3] is missing"));
    }

    @Test
    void revisionsGoingBackAreUnordered() {
        checker.accept(response(put("a", "1", 3, null)));
        checker.accept(response(put("b", "1", 2, null)));
        assertThat(checker.verify(history)).anyMatch(v -> v.startsWith("ordered:"));
    }

    @Test
    void theSameEventTwiceIsNotUnique() {
        checker.accept(response(put("a", "1", 2, null)));
        checker.noteResume();
        checker.accept(response(put("a", "1", 2, null)));
        assertThat(checker.verify(history)).anyMatch(v -> v.startsWith("unique:"));
    }

    @Test
    void aRevisionSplitAcrossResponsesIsNotAtomic() {
        checker.accept(response(put("a", "1", 2, null)));
        checker.accept(response(put("b", "1", 2, null)));
        assertThat(checker.verify(history)).anyMatch(v -> v.startsWith("atomic:"));
    }

    @Test
    void aWrongPrevKvIsReported() {
        checker.accept(response(put("a", "1", 2, null)));
        checker.accept(response(put("a", "2", 3, kv("a", "zzz", 2))));
        checker.accept(response(put("b", "1", 4, kv("b", "ghost", 1))));
        assertThat(checker.verify(history))
                .anyMatch(v -> v.contains("has prev_kv 'zzz'@2 but the key held '1'@2"))
                .anyMatch(v -> v.contains("but the key was absent"));
    }

    @Test
    void aValueNobodyWroteIsReported() {
        checker.accept(response(put("a", "phantom", 2, null)));
        assertThat(checker.verify(history)).anyMatch(v -> v.contains("'phantom', which no client wrote"));
    }
}
