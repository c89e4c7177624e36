package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The three layouts of {@code snapshot status}, as etcdctl 3.4.23 prints them for the same figures. */
class StatusPrinterTest {
    private final SnapshotStatus status = new SnapshotStatus(4133143492L, 4, 7, 323584);

    @Test
    void simpleTableAndJsonMatchTheReference() {
        assertThat(StatusPrinter.print(status, "simple")).isEqualTo("f65ac3c4, 4, 7, 324 kB\n");
        assertThat(StatusPrinter.print(status, "table")).isEqualTo("""
                +----------+----------+------------+------------+
                |   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |
                +----------+----------+------------+------------+
                | f65ac3c4 |        4 |          7 |     324 kB |
                +----------+----------+------------+------------+
                """);
        assertThat(StatusPrinter.print(status, "json"))
                .isEqualTo("{\"hash\":4133143492,\"revision\":4,\"totalKey\":7,\"totalSize\":323584}\n");
        assertThat(StatusPrinter.print(status, "fields"))
                .isEqualTo("\"Hash\" : 4133143492\n\"Revision\" : 4\n\"Keys\" : 7\n\"Size\" : 323584\n");
    }

    @Test
    void sizesAreHumanisedWithSiUnits() {
        assertThat(StatusPrinter.humanBytes(9)).isEqualTo("9 B");
        assertThat(StatusPrinter.humanBytes(2_100_000)).isEqualTo("2.1 MB");
        assertThat(StatusPrinter.humanBytes(20_480)).isEqualTo("20 kB");
    }
}
