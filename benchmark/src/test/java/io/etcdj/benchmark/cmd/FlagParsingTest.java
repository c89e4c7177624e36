package io.etcdj.benchmark.cmd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.benchmark.client.Endpoint;
import io.etcdj.benchmark.client.GoDurationConverter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class FlagParsingTest {
    private final BenchmarkRoot root = new BenchmarkRoot(System.out, System.err);

    private ParseResult parse(String... args) {
        return new CommandLine(root).parseArgs(args);
    }

    @SuppressWarnings("unchecked")
    private <T> T sub(ParseResult r) {
        return (T) r.subcommand().commandSpec().userObject();
    }

    @Test
    void global_flags_are_accepted_before_the_command_as_etcd_users_write_them() {
        ParseResult r = parse("--endpoints=127.0.0.1:12379,127.0.0.1:22379", "--conns=10", "--clients=100", "put",
                "--key-size=8", "--sequential-keys", "--total=10000", "--val-size=256");
        assertThat(root.global.endpoints).containsExactly("127.0.0.1:12379", "127.0.0.1:22379");
        assertThat(root.global.conns).isEqualTo(10);
        assertThat(root.global.clients).isEqualTo(100);
        PutCommand put = sub(r);
        assertThat(put.keySize).isEqualTo(8);
        assertThat(put.valSize).isEqualTo(256);
        assertThat(put.total).isEqualTo(10000);
        assertThat(put.sequentialKeys).isTrue();
    }

    @Test
    void global_flags_are_accepted_after_the_command_too() {
        parse("range", "foo", "--consistency=s", "--endpoints", "h:1", "--precise", "--sample", "--target-leader",
                "--dial-timeout=2s", "--cacert", "ca.pem", "--cert", "c.pem", "--key", "k.pem", "--user", "root:pw",
                "--output", "json");
        assertThat(root.global.endpoints).containsExactly("h:1");
        assertThat(root.global.precise).isTrue();
        assertThat(root.global.sample).isTrue();
        assertThat(root.global.targetLeader).isTrue();
        assertThat(root.global.dialTimeout).isEqualTo(Duration.ofSeconds(2));
        assertThat(root.global.cacert).isEqualTo("ca.pem");
        assertThat(root.global.cert).isEqualTo("c.pem");
        assertThat(root.global.key).isEqualTo("k.pem");
        assertThat(root.global.user).isEqualTo("root:pw");
        assertThat(root.global.json()).isTrue();
        assertThat(root.global.usesTls()).isTrue();
    }

    @Test
    void defaults_are_etcds() {
        ParseResult r = parse("put");
        assertThat(root.global.endpoints).containsExactly("127.0.0.1:2379");
        assertThat(root.global.conns).isEqualTo(1);
        assertThat(root.global.clients).isEqualTo(1);
        assertThat(root.global.dialTimeout).isEqualTo(Duration.ZERO);
        assertThat(root.global.usesTls()).isFalse();
        PutCommand put = sub(r);
        assertThat(put.keySize).isEqualTo(8);
        assertThat(put.valSize).isEqualTo(8);
        assertThat(put.total).isEqualTo(10000);
        assertThat(put.keySpaceSize).isEqualTo(1);
        assertThat(put.rate).isZero();
        RangeCommand range = sub(parse("range", "k"));
        assertThat(range.consistency).isEqualTo("l");
        WatchCommand watch = sub(parse("watch"));
        assertThat(watch.streams).isEqualTo(10);
        assertThat(watch.watchPerStream).isEqualTo(100);
        assertThat(watch.putTotal).isEqualTo(1000);
        StmCommand stm = sub(parse("stm"));
        assertThat(stm.isolation).isEqualTo("r");
        assertThat(stm.writePercent).isEqualTo(50);
    }

    @Test
    void range_requests_follow_clientv3s_key_rules() {
        RangeCommand range = sub(parse("range", "a", "--prefix", "--consistency=s", "--limit=5", "--keys-only"));
        var req = range.request("a", "");
        assertThat(req.getKey().toStringUtf8()).isEqualTo("a");
        assertThat(req.getRangeEnd().toStringUtf8()).isEqualTo("b");
        assertThat(req.getSerializable()).isTrue();
        assertThat(req.getLimit()).isEqualTo(5);
        assertThat(req.getKeysOnly()).isTrue();
        assertThat(range.request("", "").getKey().toByteArray()).containsExactly(0);
        assertThat(range.request("", "").getRangeEnd().toByteArray()).containsExactly(0);
        assertThat(RangeCommand.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff}))
                .toByteArray()).containsExactly('b');
        RangeCommand between = sub(parse("range", "a", "c"));
        assertThat(between.request("a", "c").getRangeEnd().toStringUtf8()).isEqualTo("c");
        assertThat(between.request("a", "c").getSerializable()).isFalse();
    }

    @Test
    void go_durations_parse_like_pflag() {
        assertThat(GoDurationConverter.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDurationConverter.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> GoDurationConverter.parse("5")).hasMessageContaining("missing unit");
        assertThatThrownBy(() -> GoDurationConverter.parse("5x")).hasMessageContaining("unknown unit");
    }

    @Test
    void endpoints_take_urls_or_host_port() {
        assertThat(Endpoint.parse("http://127.0.0.1:2379")).isEqualTo(new Endpoint("127.0.0.1", 2379));
        assertThat(Endpoint.parse("https://[::1]:2379/")).isEqualTo(new Endpoint("::1", 2379));
        assertThat(Endpoint.parse(" localhost:12379")).isEqualTo(new Endpoint("localhost", 12379));
        assertThatThrownBy(() -> Endpoint.parse("localhost")).hasMessageContaining("no port");
    }

    @Test
    void bad_values_exit_1_with_etcds_message_before_connecting() {
        assertThat(run("put", "--key-space-size=0")).isEqualTo("1:expected positive --key-space-size, got (0)");
        assertThat(run("txn-put", "--txn-ops=3", "--key-space-size=2"))
                .isEqualTo("1:expected --txn-ops no larger than --key-space-size, got txn-ops(3) key-space-size(2)");
        assertThat(run("range", "k", "--consistency=x")).isEqualTo("1:--consistency must be l or s, got x");
        assertThat(run("range", "k", "--count-only", "--keys-only"))
                .isEqualTo("1:`--keys-only` and `--count-only` cannot be set at the same time");
        assertThat(run("stm", "--txn-wr-percent=101")).isEqualTo("1:expected [0, 100] --txn-wr-percent, got (101)");
        assertThat(run("put", "--conns=0")).isEqualTo("1:--conns must be positive, got 0");
        assertThat(run("put", "--output=yaml")).isEqualTo("1:unknown --output yaml (text or json)");
        assertThat(run("mvcc", "put"))
                .isEqualTo("1:benchmark mvcc put: needs the mvcc module (io.etcdj.mvcc), which is not in this build yet");
    }

    @Test
    void an_unreachable_endpoint_with_a_dial_timeout_fails_as_etcd_does() {
        assertThat(run("put", "--endpoints=127.0.0.1:1", "--dial-timeout=300ms", "--total=1"))
                .isEqualTo("1:dial error: context deadline exceeded");
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchmarkRoot.execute(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + ":" + err.toString(StandardCharsets.UTF_8).trim();
    }
}
