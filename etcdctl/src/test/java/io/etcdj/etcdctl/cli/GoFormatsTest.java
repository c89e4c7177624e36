package io.etcdj.etcdctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's duration, number and flag parsing as etcdctl's flags see them. */
class GoFormatsTest {
    @Test
    void durationsPrintLikeGo() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(5_000_000_000L)).isEqualTo("5s");
        assertThat(GoDuration.format(1_797_763L)).isEqualTo("1.797763ms");
        assertThat(GoDuration.format(794_944L)).isEqualTo("794.944µs");
        assertThat(GoDuration.format(999L)).isEqualTo("999ns");
        assertThat(GoDuration.format(3_723_500_000_000L)).isEqualTo("1h2m3.5s");
    }

    @Test
    void durationsParseLikeGo() throws Exception {
        assertThat(GoDuration.parse("2s")).isEqualTo(2_000_000_000L);
        assertThat(GoDuration.parse("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(GoDuration.parse("1.5ms")).isEqualTo(1_500_000L);
        assertThatThrownBy(() -> GoDuration.parse("x")).hasMessage("time: invalid duration \"x\"");
        assertThatThrownBy(() -> GoDuration.parse("5")).hasMessage("time: missing unit in duration \"5\"");
    }

    @Test
    void numbersAndBoolsFailWithStrconvMessages() {
        assertThatThrownBy(() -> GoStrconv.parseInt("x", 10, 64))
                .hasMessage("strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> GoStrconv.parseInt("8000000000000000", 16, 64))
                .hasMessage("strconv.ParseInt: parsing \"8000000000000000\": value out of range");
        assertThatThrownBy(() -> GoStrconv.parseBool("maybe"))
                .hasMessage("strconv.ParseBool: parsing \"maybe\": invalid syntax");
    }

    @Test
    void flagsParseLikePflag() throws Exception {
        FlagSet fs = new FlagSet();
        fs.string("write-out", "w", "simple", "");
        fs.bool("prefix", "", false, "");
        fs.int64("limit", 0, "");
        fs.stringSlice("endpoints", List.of("127.0.0.1:2379"), "");
        FlagSet.Parsed p = fs.parse(List.of("a", "-wjson", "--prefix", "--limit", "3", "--endpoints=x,y",
                "--endpoints", "z", "--", "--not-a-flag"));
        assertThat(p.args()).containsExactly("a", "--not-a-flag");
        assertThat(p.argsLenAtDash()).isEqualTo(1);
        assertThat(fs.lookup("write-out").value()).isEqualTo("json");
        assertThat(fs.lookup("limit").value()).isEqualTo(3L);
        assertThat(fs.lookup("endpoints").value()).isEqualTo(List.of("x", "y", "z"));
        assertThatThrownBy(() -> fs.parse(List.of("--nope"))).hasMessage("unknown flag: --nope");
        assertThatThrownBy(() -> fs.parse(List.of("--limit"))).hasMessage("flag needs an argument: --limit");
    }

    @Test
    void tabWriterPadsColumnsToTabStops() {
        assertThat(GoTabWriter.format("\ta\tshort\n\tlonger-name\tx\n"))
                .isEqualTo("\ta\t\tshort\n\tlonger-name\tx\n");
    }
}
