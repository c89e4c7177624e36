package io.etcdj.etcdctl.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Command flags as urfave/cli v1 over Go's flag package parses them. */
class GoFlagsTest {
    private static GoFlags setFlags() {
        return new GoFlags().boolFlag("help", "h").intFlag("ttl").valueFlag("swap-with-value");
    }

    @Test
    void flagsAfterTheArgumentsAreMovedAheadOfThem() throws Exception {
        GoFlags f = setFlags().parse(setFlags().reorder(List.of("/key", "value", "--ttl", "5")));
        assertThat(f.integer("ttl")).isEqualTo(5);
        assertThat(f.args()).containsExactly("/key", "value");
    }

    @Test
    void anUndefinedFlagAfterTheArgumentsStaysAnArgument() throws Exception {
        GoFlags f = setFlags().parse(setFlags().reorder(List.of("/key", "--bogus", "--ttl=5")));
        assertThat(f.integer("ttl")).isEqualTo(5);
        assertThat(f.args()).containsExactly("/key", "--bogus");
    }

    @Test
    void aDoubleDashAfterTheKeyIsDroppedUnlessAFlagCameFirst() throws Exception {
        GoFlags plain = new GoFlags().boolFlag("recursive", "r");
        assertThat(plain.parse(plain.reorder(List.of("/k", "--", "cmd", "arg"))).args()).containsExactly("/k", "cmd", "arg");
        GoFlags flagged = new GoFlags().boolFlag("recursive", "r");
        assertThat(flagged.parse(flagged.reorder(List.of("-r", "/k", "--", "cmd"))).args()).containsExactly("/k", "--", "cmd");
        assertThat(flagged.bool("recursive")).isTrue();
    }

    @Test
    void doubleDashKeepsAValueThatLooksLikeAFlag() throws Exception {
        GoFlags f = setFlags().parse(setFlags().reorder(List.of("--", "/key", "-v")));
        assertThat(f.args()).containsExactly("/key", "-v");
    }

    @Test
    void aValueFlagTakesTheNextArgumentWhateverItIs() throws Exception {
        GoFlags f = setFlags().parse(List.of("-swap-with-value", "-x", "/k", "v"));
        assertThat(f.string("swap-with-value")).isEqualTo("-x");
        assertThat(f.args()).containsExactly("/k", "v");
    }

    @Test
    void integersAreCheckedWhileParsingWithGoBasePrefixes() throws Exception {
        assertThat(setFlags().parse(List.of("--ttl=0x10")).integer("ttl")).isEqualTo(16);
        assertThatThrownBy(() -> setFlags().parse(List.of("--ttl", "x")))
                .hasMessage("invalid value \"x\" for flag -ttl: parse error");
    }

    @Test
    void unknownAndIncompleteFlagsAreGoErrors() {
        assertThatThrownBy(() -> setFlags().parse(List.of("--bogus")))
                .hasMessage("flag provided but not defined: -bogus");
        assertThatThrownBy(() -> setFlags().parse(List.of("--ttl")))
                .hasMessage("flag needs an argument: -ttl");
    }

    @Test
    void aliasesShareOneValue() throws Exception {
        assertThat(setFlags().parse(List.of("-h")).bool("help")).isTrue();
    }
}
