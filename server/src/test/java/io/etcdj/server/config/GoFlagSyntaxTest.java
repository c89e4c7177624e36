package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line is read with Go's flag rules, as etcd reads it. */
class GoFlagSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {"--name n1", "--name=n1", "-name n1", "-name=n1"})
    void allFourSpellingsOfAValuedFlagAreEqual(String commandLine) throws Exception {
        assertThat(Etcd.parse(commandLine).name()).isEqualTo("n1");
    }

    @Test
    void aBooleanFlagAloneMeansTrueAndTakesAValueOnlyAfterAnEqualsSign() throws Exception {
        assertThat(Etcd.parse("--enable-v2").enableV2()).isTrue();
        assertThat(Etcd.parse("-enable-v2=true").enableV2()).isTrue();
        assertThat(Etcd.parse("--pre-vote=false").preVote()).isFalse();
        assertThat(Etcd.parse("--pre-vote=0").preVote()).isFalse();
        assertThat(Etcd.parse("--strict-reconfig-check=F").strictReconfigCheck()).isFalse();
        // "--enable-v2 false": "false" is an argument, not the flag's value; etcd rejects it
        assertThatThrownBy(() -> Etcd.parse("--enable-v2 false"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).isEqualTo("'false' is not a valid flag");
                    assertThat(e.exitCode()).isEqualTo(1);
                });
    }

    @Test
    void theLastOfARepeatedFlagWins() throws Exception {
        assertThat(Etcd.parse("--name a --name b").name()).isEqualTo("b");
    }

    @Test
    void typedValuesAreParsed() throws Exception {
        EtcdConfig c = Etcd.parse("--snapshot-count 0x10 --heartbeat-interval 1_0 --election-timeout 0100"
                + " --grpc-keepalive-min-time 1m30s --quota-backend-bytes -1 --max-concurrent-streams 7");
        assertThat(c.snapshotCount()).isEqualTo(16);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.electionTimeout()).isEqualTo(Duration.ofMillis(64)); // Go: leading 0 is octal
        assertThat(c.grpcKeepAliveMinTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.quotaBackendBytes()).isEqualTo(-1);
        assertThat(c.effectiveQuotaBackendBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(c.maxConcurrentStreams()).isEqualTo(7);
    }

    @Test
    void urlListsAreSortedAndDeduplicated() throws Exception {
        EtcdConfig c = Etcd.parse("--listen-client-urls http://127.0.0.2:2379,http://127.0.0.1:2379,"
                + "http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379");
        assertThat(c.listenClientUrls()).containsExactly(
                URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.2:2379"));
    }

    @Test
    void parsingStopsAtTheFirstNonFlagOrAfterDoubleDash() {
        assertThatThrownBy(() -> Etcd.parse("--name a stray --name b"))
                .hasMessage("'stray' is not a valid flag");
        assertThatThrownBy(() -> Etcd.parse("-- --name b")).hasMessage("'--name' is not a valid flag");
    }

    @Test
    void anUnknownFlagIsASyntaxErrorWithExitCode2() {
        assertThatThrownBy(() -> Etcd.parse("--foo"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FLAG_SYNTAX);
                    assertThat(e.getMessage()).isEqualTo("flag provided but not defined: -foo");
                    assertThat(e.exitCode()).isEqualTo(2);
                });
    }

    @Test
    void badValuesCarryGoFlagMessages() {
        assertThatThrownBy(() -> Etcd.parse("-heartbeat-interval abc"))
                .hasMessage("invalid value \"abc\" for flag -heartbeat-interval: parse error");
        assertThatThrownBy(() -> Etcd.parse("--max-wals -1"))
                .hasMessage("invalid value \"-1\" for flag -max-wals: parse error");
        assertThatThrownBy(() -> Etcd.parse("--snapshot-count 99999999999999999999"))
                .hasMessage("invalid value \"99999999999999999999\" for flag -snapshot-count: value out of range");
        assertThatThrownBy(() -> Etcd.parse("--max-concurrent-streams 5000000000"))
                .hasMessage("invalid value \"5000000000\" for flag -max-concurrent-streams: "
                        + "strconv.ParseUint: parsing \"5000000000\": value out of range");
        assertThatThrownBy(() -> Etcd.parse("--grpc-keepalive-timeout 5"))
                .hasMessage("invalid value \"5\" for flag -grpc-keepalive-timeout: parse error");
        assertThatThrownBy(() -> Etcd.parse("--enable-v2=maybe"))
                .hasMessage("invalid boolean value \"maybe\" for -enable-v2: parse error");
        assertThatThrownBy(() -> Etcd.parse("--initial-cluster-state bogus"))
                .hasMessage("invalid value \"bogus\" for flag -initial-cluster-state: invalid value");
        assertThatThrownBy(() -> Etcd.parse("--v2-deprecation never"))
                .hasMessage("invalid value \"never\" for flag -v2-deprecation: invalid value \"never\"");
        assertThatThrownBy(() -> Etcd.parse("--name"))
                .hasMessage("flag needs an argument: -name");
        assertThatThrownBy(() -> Etcd.parse("---name x")).hasMessage("bad flag syntax: ---name");
        assertThatThrownBy(() -> Etcd.parse("-=x")).hasMessage("bad flag syntax: -=x");
    }

    @Test
    void badUrlsCarryEtcdMessages() {
        assertThatThrownBy(() -> Etcd.parse("--listen-client-urls foo"))
                .hasMessage("invalid value \"foo\" for flag -listen-client-urls: "
                        + "URL scheme must be http, https, unix, or unixs: foo");
        assertThatThrownBy(() -> Etcd.parse("--listen-peer-urls http://127.0.0.1"))
                .hasMessage("invalid value \"http://127.0.0.1\" for flag -listen-peer-urls: "
                        + "URL address does not have the form \"host:port\": http://127.0.0.1");
        assertThatThrownBy(() -> Etcd.parse("--initial-advertise-peer-urls http://127.0.0.1:2380/x"))
                .hasMessage("invalid value \"http://127.0.0.1:2380/x\" for flag -initial-advertise-peer-urls: "
                        + "URL must not contain a path: http://127.0.0.1:2380/x");
        assertThatThrownBy(() -> Etcd.parse("--listen-peer-urls 127.0.0.1:2380"))
                .hasMessage("invalid value \"127.0.0.1:2380\" for flag -listen-peer-urls: "
                        + "parse \"127.0.0.1:2380\": first path segment in URL cannot contain colon");
    }

    @Test
    void helpAndVersionEndWithExitCode0() {
        for (String h : List.of("-h", "--h", "-help", "--help")) {
            assertThatThrownBy(() -> Etcd.parse(h)).isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.HELP);
                assertThat(e.exitCode()).isZero();
            });
        }
        assertThatThrownBy(() -> Etcd.parse("--version --name x"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.VERSION);
                    assertThat(e.exitCode()).isZero();
                });
        // a syntax error is found before --version is honoured, as in etcd
        assertThatThrownBy(() -> Etcd.parse("--version --bogus"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.FLAG_SYNTAX));
    }

    @Test
    void flagsOfOlderEtcdVersionsAreAcceptedAndIgnored() throws Exception {
        assertThat(Etcd.parse("-v --peer-election-timeout=5 --name x").name()).isEqualTo("x");
    }
}
