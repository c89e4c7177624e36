package io.etcdj.etcdctl.print;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Go text conventions etcdctl's output depends on. */
class GoTextTest {
    @Test
    void quoteEscapesLikeStrconvQuote() {
        assertThat(GoQuote.quote("a\"b\\c\td\n")).isEqualTo("\"a\\\"b\\\\c\\td\\n\"");
        assertThat(GoQuote.quote(new byte[] {(byte) 0xff, 'x', 0})).isEqualTo("\"\\xffx\\x00\"");
        assertThat(GoQuote.quote("héllo")).isEqualTo("\"héllo\"");
    }

    @Test
    void jsonStringsAreHtmlSafe() {
        assertThat(GoJson.string("<a&b>\"\u0001")).isEqualTo("\"\\u003ca\\u0026b\\u003e\\\"\\u0001\"");
        assertThat(GoJson.string(new byte[] {(byte) 0xff})).isEqualTo("\"\\ufffd\"");
    }

    @Test
    void bytesAreHumanizedWithGoRounding() {
        assertThat(HumanBytes.format(5)).isEqualTo("5 B");
        assertThat(HumanBytes.format(20480)).isEqualTo("20 kB");
        assertThat(HumanBytes.format(1500)).isEqualTo("1.5 kB");
        assertThat(HumanBytes.format(2_500_000)).isEqualTo("2.5 MB");
    }

    @Test
    void tablesMatchTablewriter() {
        assertThat(AsciiTable.render(List.of("ID", "Status"), List.of(List.of("abc", "started"))))
                .isEqualTo("""
                        +-----+---------+
                        | ID  | STATUS  |
                        +-----+---------+
                        | abc | started |
                        +-----+---------+
                        """);
    }

    @Test
    void prefixEndIncrementsTheLastByte() {
        assertThat(KeyRanges.prefixEnd("foo".getBytes())).isEqualTo("fop".getBytes());
        assertThat(KeyRanges.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo("b".getBytes());
        assertThat(KeyRanges.prefixEnd(new byte[] {(byte) 0xff})).isEqualTo(new byte[] {0});
    }
}
