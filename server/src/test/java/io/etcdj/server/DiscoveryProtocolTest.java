package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.bootstrap.EtcdDiscovery;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.config.StartupLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One member's side of etcd's v2 discovery protocol against a real v2 discovery service (an
 * etcdj member with --enable-v2): what it registers, how it waits, who gets in, and the errors
 * it gives for a token that is missing, malformed, full or reused.
 */
class DiscoveryProtocolTest {
    @TempDir
    static Path root;
    static DiscoveryService service;

    static final DiscoveryRetry FAST = new DiscoveryRetry(3, Duration.ofMillis(1), 2);

    @BeforeAll
    static void startService() {
        service = DiscoveryService.start(root);
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    static long idOf(String peerUrl, String token) {
        return MemberIds.memberId(List.of(peerUrl), token);
    }

    static EtcdDiscovery member(String token, String peerUrl, StartupLog log) {
        return new EtcdDiscovery(token, "", idOf(peerUrl, token), FAST, log);
    }

    static CompletableFuture<String> joinInBackground(String token, String name, String peerUrl, StartupLog log) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return member(token, peerUrl, log).joinCluster(name + "=" + peerUrl);
            } catch (DiscoveryException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aMemberRegistersItsOwnInitialClusterUnderItsIdAndWaitsForTheOthers() throws Exception {
        String token = service.newToken(2);
        StartupLog.Recording log = new StartupLog.Recording();
        CompletableFuture<String> first = joinInBackground(token, "m1", "http://127.0.0.2:2380", log);

        long id = idOf("http://127.0.0.2:2380", token);
        EtcdCluster.awaitCondition(Duration.ofSeconds(10), "m1 waiting for one more member",
                () -> log.entries().stream().anyMatch(e -> e.message().equals(
                        "found peers from discovery server; waiting for more")));
        assertThat(service.get(token + "/" + Long.toHexString(id)))
                .contains("\"value\":\"m1=http://127.0.0.2:2380\"");
        assertThat(first).isNotDone();
        StartupLog.Recording.Entry waiting = log.entries().stream()
                .filter(e -> e.message().startsWith("found peers")).findFirst().orElseThrow();
        assertThat(waiting.fields()).containsEntry("found-peers", 1).containsEntry("needed-peers", 1L);
        assertThat(log.entries()).anyMatch(e -> e.message().equals("found self from discovery server")
                && e.fields().get("self").equals(Long.toHexString(id)));

        String second = member(token, "http://127.0.0.3:2380", StartupLog.NONE).joinCluster("m2=http://127.0.0.3:2380");

        String expected = "m1=http://127.0.0.2:2380,m2=http://127.0.0.3:2380";
        assertThat(second).isEqualTo(expected);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(log.entries()).anyMatch(e -> e.message().equals("found all needed peers from discovery server"));
    }

    @Test
    void theFirstSizeRegistrationsByCreatedIndexFormTheClusterAndALateMemberFindsItFull() throws Exception {
        String token = service.newToken(2);
        // registered out of name order: createdIndex, not the key, ranks them
        service.put(token + "/ffff000000000001", "late=http://127.0.0.9:2380");
        service.put(token + "/0000000000000002", "later=http://127.0.0.8:2380");

        assertThatThrownBy(() -> member(token, "http://127.0.0.4:2380", StartupLog.NONE)
                .joinCluster("m4=http://127.0.0.4:2380"))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.FULL_CLUSTER);
                    assertThat(e).hasMessage("discovery: cluster is full");
                });
        // the full cluster was seen before registering: the late member left no trace
        assertThat(service.get(token)).doesNotContain(Long.toHexString(idOf("http://127.0.0.4:2380", token)));
    }

    @Test
    void aMemberRegisteredFirstIsInEvenIfMoreRegisteredThanTheSize() throws Exception {
        String token = service.newToken(1);
        String peer = "http://127.0.0.5:2380";
        String cluster = member(token, peer, StartupLog.NONE).joinCluster("solo=" + peer);
        assertThat(cluster).isEqualTo("solo=" + peer);
    }

    @Test
    void aTokenWithoutSizeFailsWithTheServicesKeyNotFoundError() {
        String token = service.newToken();
        String dir = token.substring(token.indexOf("/v2/keys") + "/v2/keys".length());
        // etcd 3.4.23 prints the v2 error as it came: "100: Key not found (/discovery/<uuid>) [n]"
        assertThatThrownBy(() -> member(token, "http://127.0.0.6:2380", StartupLog.NONE).joinCluster("x=http://127.0.0.6:2380"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("100: Key not found (" + dir + ") [");
    }

    @Test
    void aSizeThatIsNotANumberIsABadSizeKey() {
        String token = service.newToken();
        service.put(token + "/_config/size", "three");
        assertThatThrownBy(() -> member(token, "http://127.0.0.6:2380", StartupLog.NONE).joinCluster("x=http://127.0.0.6:2380"))
                .isInstanceOf(DiscoveryException.class).hasMessage("discovery: size key is bad");
    }

    @Test
    void registeringTwiceWithTheSameIdIsADuplicateId() throws Exception {
        String token = service.newToken(3);
        String peer = "http://127.0.0.7:2380";
        service.put(token + "/" + Long.toHexString(idOf(peer, token)), "m7=" + peer); // a previous failed start
        assertThatThrownBy(() -> member(token, peer, StartupLog.NONE).joinCluster("m7=" + peer))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.DUPLICATE_ID);
                    assertThat(e).hasMessage("discovery: found duplicate id");
                });
    }

    @Test
    void twoRegistrationsWithOneNameAreADuplicateName() {
        String token = service.newToken(2);
        service.put(token + "/00000000000000aa", "same=http://127.0.0.10:2380");
        assertThatThrownBy(() -> member(token, "http://127.0.0.11:2380", StartupLog.NONE)
                .joinCluster("same=http://127.0.0.11:2380"))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.DUPLICATE_NAME);
                    assertThat(e).hasMessage("discovery: found duplicate name");
                });
    }

    @Test
    void anUnreachableServiceIsRetriedWithBackOffThenGivenUp() {
        StartupLog.Recording log = new StartupLog.Recording();
        // port 1 on loopback: connection refused at once
        EtcdDiscovery d = new EtcdDiscovery("http://127.0.0.1:1/v2/keys/discovery/x", "",
                idOf("http://127.0.0.12:2380", "t"), FAST, log);
        assertThatThrownBy(() -> d.joinCluster("m=http://127.0.0.12:2380"))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.TOO_MANY_RETRIES);
                    assertThat(e).hasMessage("discovery: too many retries");
                });
        assertThat(log.entries()).filteredOn(e -> e.message().equals("retry connecting to discovery service"))
                .extracting(e -> e.fields().get("backoff")).containsExactly("2ms", "4ms", "4ms");
    }
}
