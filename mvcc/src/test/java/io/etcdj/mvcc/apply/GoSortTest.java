package io.etcdj.mvcc.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ties in a sorted range come out in the order of etcd's Go sort (pdqsort, unstable but
 * deterministic), recorded from etcd 3.4.23; found by the randomized differential test
 * (RandomizedKvDifferentialTest, seed 1, step 1368), where a stable sort kept ties in key order.
 */
class GoSortTest {
    /** Mod revisions of the keys that are not "many/N" (those 128 were all written at revision 359 by one txn). */
    private static final Map<String, Long> OTHERS = Map.of("a", 352L, "a/", 366L, "a/b", 369L, "a/b/c", 364L,
            "a/c", 371L, "b", 367L, "b\u0000x", 353L, "c", 375L);

    /** etcd 3.4.23's answer to a from-key range over those 136 keys, sort_order ASCEND, sort_target MOD. */
    private static final List<String> ETCD_ORDER = List.of(
            "a", "b\u0000x", "many/4", "many/117", "many/99", "many/98", "many/97", "many/96", "many/10",
            "many/100", "many/101", "many/102", "many/103", "many/104", "many/105", "many/106", "many/107",
            "many/108", "many/109", "many/11", "many/110", "many/111", "many/112", "many/113", "many/114",
            "many/115", "many/116", "many/40", "many/118", "many/119", "many/12", "many/120", "many/121",
            "many/122", "many/123", "many/124", "many/125", "many/126", "many/127", "many/13", "many/14",
            "many/15", "many/16", "many/17", "many/18", "many/19", "many/2", "many/20", "many/0", "many/22",
            "many/23", "many/24", "many/25", "many/26", "many/27", "many/28", "many/29", "many/3", "many/30",
            "many/31", "many/32", "many/33", "many/34", "many/35", "many/36", "many/37", "many/38", "many/39",
            "many/21", "many/1", "many/69", "many/42", "many/43", "many/44", "many/45", "many/46", "many/47",
            "many/48", "many/49", "many/5", "many/50", "many/51", "many/52", "many/53", "many/54", "many/55",
            "many/56", "many/57", "many/58", "many/59", "many/6", "many/60", "many/61", "many/62", "many/63",
            "many/64", "many/65", "many/66", "many/67", "many/68", "many/41", "many/7", "many/70", "many/71",
            "many/72", "many/73", "many/74", "many/75", "many/76", "many/77", "many/78", "many/79", "many/8",
            "many/80", "many/81", "many/82", "many/83", "many/84", "many/85", "many/86", "many/87", "many/88",
            "many/89", "many/9", "many/90", "many/91", "many/92", "many/93", "many/94", "many/95", "a/b/c",
            "a/", "b", "a/b", "a/c", "c");

    @Test
    void manyTiesSortByModRevisionInEtcdsOrder() {
        List<KeyValue> inKeyOrder = new ArrayList<>();
        OTHERS.forEach((key, mod) -> inKeyOrder.add(kv(key, mod)));
        for (int i = 0; i < 128; i++) {
            inKeyOrder.add(kv("many/" + i, 359));
        }
        inKeyOrder.sort(Comparator.comparing(KeyValue::getKey, ByteString.unsignedLexicographicalComparator()));

        GoSort.sort(inKeyOrder, Comparator.comparingLong(KeyValue::getModRevision));

        assertThat(inKeyOrder).extracting(kv -> kv.getKey().toString(StandardCharsets.ISO_8859_1))
                .containsExactlyElementsOf(ETCD_ORDER);
    }

    @Test
    void upToTwelveItemsSortStably() {
        List<KeyValue> kvs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            kvs.add(kv("k" + (char) ('a' + i), i % 3));
        }
        GoSort.sort(kvs, Comparator.comparingLong(KeyValue::getModRevision));
        assertThat(kvs).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly(
                "ka", "kd", "kg", "kj", "kb", "ke", "kh", "kk", "kc", "kf", "ki", "kl");
    }

    private static KeyValue kv(String key, long mod) {
        return KeyValue.newBuilder().setKey(ByteString.copyFrom(key, StandardCharsets.ISO_8859_1)).setModRevision(mod)
                .build();
    }
}
