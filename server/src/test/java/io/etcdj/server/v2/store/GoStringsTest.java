package io.etcdj.server.v2.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Keys and values are the bytes a client sent, UTF-8 or not, as Go keeps them. */
class GoStringsTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void utf8ReadsAsItsCharactersAndEveryOtherByteStaysItself() {
        assertThat(GoStrings.fromBytes(hex("61c3a9f09f9880"))).isEqualTo("aé\ud83d\ude00");
        // a byte that starts no valid sequence stands alone, one for one, as Go's decoder judges it
        assertThat(GoStrings.fromBytes(hex("61ff"))).isEqualTo("a\udcff");
        assertThat(GoStrings.fromBytes(hex("e280"))).isEqualTo("\udce2\udc80"); // cut short
        assertThat(GoStrings.fromBytes(hex("eda080"))).isEqualTo("\udced\udca0\udc80"); // a surrogate's UTF-8
        assertThat(GoStrings.fromBytes(hex("c0af"))).isEqualTo("\udcc0\udcaf"); // overlong
        assertThat(GoStrings.fromBytes(hex("f4908080"))).hasSize(4); // above U+10FFFF
    }

    @Test
    void distinctBytesStayDistinctAndComeBackTheSame() {
        for (String h : new String[] {"61ff", "61fe", "e280", "eda080", "c3a9", "efbfbd", ""}) {
            assertThat(GoStrings.toBytes(GoStrings.fromBytes(hex(h)))).isEqualTo(hex(h));
        }
        assertThat(GoStrings.fromBytes(hex("61ff"))).isNotEqualTo(GoStrings.fromBytes(hex("61fe")))
                .isNotEqualTo("a\ufffd");
        assertThat(GoStrings.isUtf8("aé\ufffd")).isTrue();
        assertThat(GoStrings.isUtf8(GoStrings.fromBytes(hex("61ff")))).isFalse();
    }

    @Test
    void stringsCompareByTheirBytes() {
        assertThat(GoStrings.compare("\ue000", "\ud83d\ude00")).isNegative(); // EE.. before F0..
        assertThat(GoStrings.compare(GoStrings.fromBytes(hex("ff")), "\ud83d\ude00")).isPositive();
        assertThat(GoStrings.compare("a", "ab")).isNegative();
    }

    @Test
    void aStoreSnapshotKeepsKeysAndValuesThatAreNotUtf8() {
        V2Store store = new V2Store("/0", "/1");
        String key = "/1/" + GoStrings.fromBytes(hex("61ff"));
        String value = GoStrings.fromBytes(hex("fe00"));
        store.set(key, false, value, V2Store.PERMANENT, false, 0);
        V2Store restored = V2Store.fromSnapshot(store.save());
        assertThat(restored.get(key, false, false, 0).node().value()).isEqualTo(value);
    }
}
